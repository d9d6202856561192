package dev.memcgdiff.reports;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Parses the pages as XML, so a test fails on markup that is not well formed, and finds elements. */
final class Xml {
    private Xml() {}

    static Document parse(String markup) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(markup.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed markup: " + e.getMessage() + "\n" + markup, e);
        }
    }

    static List<Element> all(Document d, String tag) {
        return elements(d.getElementsByTagName(tag));
    }

    static List<Element> all(Element e, String tag) {
        return elements(e.getElementsByTagName(tag));
    }

    /** Elements with this tag whose class attribute holds the given class. */
    static List<Element> withClass(Document d, String tag, String cls) {
        return all(d, tag).stream()
                .filter(e -> List.of(e.getAttribute("class").split(" ")).contains(cls))
                .toList();
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }
}
