package dev.memcgdiff.scenario;

/** Where something was written in a scenario file: 1-based line and column. */
public record SourcePos(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
