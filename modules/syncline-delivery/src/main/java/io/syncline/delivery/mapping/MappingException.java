package io.syncline.delivery.mapping;

/** A record cannot be turned into a request (a URL placeholder without a value, an unknown currency, ...). */
public class MappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(message);
    }
}
