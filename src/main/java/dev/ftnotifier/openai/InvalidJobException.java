package dev.ftnotifier.openai;

/** The API answered 200 with something that is not the job that was asked for. */
public class InvalidJobException extends RuntimeException {

    public InvalidJobException(String message) {
        super(message);
    }
}
