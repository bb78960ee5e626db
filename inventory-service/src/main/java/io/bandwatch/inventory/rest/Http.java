package io.bandwatch.inventory.rest;

import io.bandwatch.platform.problem.ProblemException;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** ETag / If-Match helpers: the ETag of a resource is its version, {@code "3"}. */
public final class Http {

    private Http() {
    }

    public static Long ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ProblemException.preconditionFailed("If-Match must be the ETag of the resource, e.g. \"3\"");
        }
    }

    public static Response ok(Object entity, long version) {
        return Response.ok(entity).tag(new EntityTag(String.valueOf(version))).build();
    }

    public static Response created(String path, Object entity, long version) {
        return Response.created(URI.create(path)).entity(entity).tag(new EntityTag(String.valueOf(version))).build();
    }
}
