package io.bandwatch.metrics.service;

import io.bandwatch.events.CheckType;
import java.util.List;
import java.util.Locale;

/** One measurement per check type, named after it ({@code iperf3}, {@code ping}); tags as below. */
public final class Measurements {

    public static final String TAG_ORGANIZATION = "organization";
    public static final String TAG_DEVICE = "device";
    public static final String TAG_CHECK = "check";
    public static final String TAG_SERVER = "server";

    public static final List<String> ALL = List.of(of(CheckType.IPERF3), of(CheckType.PING));

    private Measurements() {
    }

    public static String of(CheckType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
