package io.bandwatch.platform.json;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One rule for single-line values: no C0, DEL, C1, line separators or lone surrogates, with the field named. */
class SingleLineTest {

    record Body(@SingleLine String name, List<@SingleLine String> tags) {
    }

    @Test
    void controlCharactersAndLoneSurrogatesAreRefusedPrintableTextIsNot() {
        for (String bad : List.of("a\nb", "a\rb", "a\u001bb", "a\tb", "\u0000", "a\u007fb", "a\u0080b", "a\u0085b",
                "a\u009fb", "a\u2028b", "a\u2029b", "a\ud800b", "a\udc00")) {
            assertThat(Text.singleLineProblem(bad)).as("%s", bad.chars().boxed().toList()).isNotNull();
        }
        for (String good : List.of("admin", "Büro – Rack 2", "日本語", "emoji \ud83d\ude00", "p@ss w0rd!~", "")) {
            assertThat(Text.singleLineProblem(good)).as(good).isNull();
        }
        assertThat(Text.singleLineProblem("x\u001b[31m")).isEqualTo("must not contain control characters (found U+001B at 1)");
    }

    @Test
    void theConstraintNamesTheFieldAndNeverTheValue() {
        try (var factory = Validation.buildDefaultValidatorFactory()) {
            Validator validator = factory.getValidator();
            var violations = validator.validate(new Body("evil\nname", List.of("ok", "t\rag")));
            assertThat(violations).extracting(v -> v.getPropertyPath().toString())
                    .containsExactlyInAnyOrder("name", "tags[1].<list element>");
            assertThat(violations).allSatisfy(v -> assertThat(v.getMessage()).startsWith("must not contain control")
                    .doesNotContain("evil").doesNotContain("ag"));
            assertThat(validator.validate(new Body(null, List.of("fine")))).isEmpty();
        }
    }
}
