package dev.memcgdiff.scenario;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The file being parsed, so that every error can say where it is. SnakeYAML counts lines and
 * columns from 0; scenario messages count from 1, like editors do.
 */
final class Source {
    private final String file;

    Source(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    SourcePos start() {
        return new SourcePos(file, 1, 1);
    }

    SourcePos at(Mark mark) {
        return mark == null ? start() : new SourcePos(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    SourcePos at(Node node) {
        return at(node.getStartMark());
    }

    /**
     * The position of a char index in text, counted the way SnakeYAML counts marks (code points,
     * and \r\n, \r, \n, NEL, LS, PS as line breaks), for errors found outside SnakeYAML.
     */
    SourcePos at(String text, int charIndex) {
        int line = 1;
        int column = 1;
        int i = 0;
        int end = Math.min(charIndex, text.length());
        while (i < end) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean crlf = cp == '\r' && i < text.length() && text.charAt(i) == '\n';
            if (!crlf && (cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)) {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePos(file, line, column);
    }

    ScenarioException error(Node node, String problem, String allowed) {
        return new ScenarioException(at(node), problem, allowed);
    }

    ScenarioException error(SourcePos pos, String problem, String allowed) {
        return new ScenarioException(pos, problem, allowed);
    }
}
