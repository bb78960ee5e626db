package io.bandwatch.platform.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** A JSON string the services refuse (NUL, lone surrogate, too long); its message never holds the value. */
public class InvalidTextException extends MismatchedInputException {

    private static final long serialVersionUID = 1L;

    public InvalidTextException(JsonParser parser, String reason) {
        super(parser, reason, String.class);
    }
}
