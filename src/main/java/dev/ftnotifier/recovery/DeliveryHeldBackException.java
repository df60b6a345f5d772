package dev.ftnotifier.recovery;

/**
 * A delivery not tried because its channel is coming back: its trial call or its backlog goes
 * first ({@link ChannelBacklogs#holdsBack}). The delivery stays pending; no attempt is counted.
 */
public class DeliveryHeldBackException extends RuntimeException {

    public DeliveryHeldBackException(String message) {
        super(message, null, false, false);
    }
}
