package io.bandwatch.runner.service;

import io.bandwatch.events.CheckResult;

/** Where finished runs go: {@code check.results}. Returns when the broker acknowledged, or throws. */
public interface ResultSink {
    void publish(CheckResult result);
}
