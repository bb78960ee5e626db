package io.bandwatch.metrics.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The device page: {@code /devices/{id}} serves the bundled {@code device.html} (the address bar keeps the
 * device id, which the page reads). The page itself is public; the data it loads needs a token.
 */
@ApplicationScoped
public class DevicePageRoute {

    void routes(@Observes Router router) {
        router.get("/devices/:id").handler(rc -> rc.reroute("/device.html"));
    }
}
