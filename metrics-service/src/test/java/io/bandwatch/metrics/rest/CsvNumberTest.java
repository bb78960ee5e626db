package io.bandwatch.metrics.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CSV numbers are plain decimals that a spreadsheet reads back to the same value, never scientific notation. */
class CsvNumberTest {

    @ParameterizedTest
    @CsvSource({
            "2.99974554399496E7, 29997455.4399496",
            "30000000, 30000000",
            "1.0E15, 1000000000000000",
            "1.5E-7, 0.00000015",
            "0.25, 0.25",
            "-3.5, -3.5",
            "0, 0",
            "-0.0, 0",
            "12.5E0, 12.5"})
    void plainDecimals(double value, String expected) {
        String written = ChartsResource.number(value);
        assertThat(written).isEqualTo(expected).doesNotContainIgnoringCase("e");
        assertThat(Double.parseDouble(written)).isEqualTo(value == 0 ? 0.0 : value);
    }

    @ParameterizedTest
    @CsvSource({"NaN", "Infinity", "-Infinity"})
    void nothingForValuesThatAreNotNumbers(double value) {
        assertThat(ChartsResource.number(value)).isEmpty();
    }
}
