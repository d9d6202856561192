package dev.memcgdiff.cli;

import java.util.List;

/**
 * The user's input cannot be used (a scenario file that does not parse, an unknown kernel, a file
 * outside a golden tree): exit 2, each message on its own stderr line, nothing on stdout.
 */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> messages;

    BadInput(List<String> messages) {
        super(String.join("\n", messages), null, false, false);
        this.messages = List.copyOf(messages);
    }

    BadInput(String message) {
        this(List.of(message));
    }

    List<String> messages() {
        return messages;
    }
}
