package dev.memcgdiff.cli;

/**
 * The model or the disk failed where the input was fine: exit 1 with one line saying what was
 * being done, so a user can report it without a stack trace.
 */
final class InternalFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InternalFailure(String message) {
        super(message, null, false, false);
    }

    /** One line naming the failure: its type and its message, line breaks flattened. */
    static String describe(Throwable t) {
        String msg = t.getMessage();
        String line = t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
        return line.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
