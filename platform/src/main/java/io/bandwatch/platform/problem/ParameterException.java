package io.bandwatch.platform.problem;

import jakarta.ws.rs.BadRequestException;

/**
 * A query, path or header parameter that does not convert ({@code ?enabled=maybe}, {@code ?limit=ten}).
 * A {@link jakarta.ws.rs.WebApplicationException} so that RESTEasy Reactive passes it on as it is instead of
 * turning it into a bare 404; {@link ProblemMappers} answers 400 naming the parameter.
 */
public class ParameterException extends BadRequestException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public ParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
