package dev.memcgdiff.reports;

/**
 * The small amount of HTML every page shares: escaping and one self-contained page skeleton.
 * Pages are written as well-formed XHTML-style markup (every element closed, every attribute
 * quoted, no named entities but the XML ones) so they open offline in any browser and parse as XML
 * in tests.
 */
public final class Html {
    private Html() {}

    /** Text or attribute value made safe for HTML and XML. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A complete page: doctype, UTF-8, title, the shared style sheet and the body given. */
    static String page(String title, String body) {
        return page(title, "", body);
    }

    /** A complete page with the page's own style rules after the shared ones. */
    static String page(String title, String style, String body) {
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + escape(title) + "</title>\n"
                + "<style>\n" + STYLE + style + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    private static final String STYLE = """
        body { font-family: sans-serif; font-size: 13px; margin: 1em; color: #222; }
        h1 { font-size: 18px; } h2 { font-size: 16px; margin-top: 1.5em; } h3 { font-size: 14px; }
        table { border-collapse: collapse; margin: 0.5em 0; }
        th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
        th { background: #eee; }
        td.value { font-family: monospace; white-space: pre-wrap; }
        td.observable { font-family: monospace; }
        tr.differs { background: #fff3cd; }
        tr.differs td.g0 { background: #fde2b8; } tr.differs td.g1 { background: #cfe8ff; }
        tr.differs td.g2 { background: #d8f5d0; } tr.differs td.g3 { background: #f3d1f4; }
        .summary { font-weight: bold; }
        .why { color: #444; }
        details { margin: 0.3em 0; } summary { cursor: pointer; font-weight: bold; }
        pre { background: #f6f6f6; padding: 0.5em; white-space: pre-wrap; }
        """;
}
