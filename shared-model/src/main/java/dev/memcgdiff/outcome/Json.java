package dev.memcgdiff.outcome;

import java.util.Collection;
import java.util.Map;

/** A minimal JSON writer for the outcome contract: objects keep their insertion order. */
public final class Json {
    private final StringBuilder sb = new StringBuilder();
    private final boolean pretty;
    private int depth;

    public Json(boolean pretty) {
        this.pretty = pretty;
    }

    public static String write(Object value, boolean pretty) {
        Json j = new Json(pretty);
        j.value(value);
        return j.sb.toString();
    }

    private void value(Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> map) {
            object(map);
        } else if (v instanceof Collection<?> list) {
            array(list);
        } else {
            throw new IllegalArgumentException("not JSON: " + v.getClass());
        }
    }

    private void object(Map<?, ?> map) {
        sb.append('{');
        depth++;
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline();
            string(String.valueOf(e.getKey()));
            sb.append(pretty ? ": " : ":");
            value(e.getValue());
        }
        depth--;
        if (!map.isEmpty()) {
            newline();
        }
        sb.append('}');
    }

    private void array(Collection<?> list) {
        sb.append('[');
        depth++;
        boolean first = true;
        for (Object o : list) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline();
            value(o);
        }
        depth--;
        if (!list.isEmpty()) {
            newline();
        }
        sb.append(']');
    }

    private void newline() {
        if (pretty) {
            sb.append('\n');
            sb.append("  ".repeat(depth));
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
