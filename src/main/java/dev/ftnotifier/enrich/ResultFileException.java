package dev.ftnotifier.enrich;

/** A result file, checkpoint list or event list that cannot be read: the notification goes out without it. */
public class ResultFileException extends RuntimeException {
    public ResultFileException(String message) {
        super(message);
    }
}
