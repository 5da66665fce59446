package io.syncline.delivery;

/**
 * The target refused a change, or the sink could not deliver it; the exception a sink hands to Connect's errant
 * record reporter (dead-letter queue) or throws to fail its task. Its message says what we were doing and what the
 * target answered, never credentials.
 */
public class DeliveryRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeliveryRejectedException(String message) {
        super(message);
    }
}
