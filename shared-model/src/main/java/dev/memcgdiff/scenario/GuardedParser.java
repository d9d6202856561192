package dev.memcgdiff.scenario;

import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;

/**
 * Sits between SnakeYAML's parser and its composer and refuses the YAML features a scenario must
 * not use, at the event where they are written. Done here rather than on the composed tree
 * because the composer replaces an alias by the node it names, losing the alias's position, and
 * because an alias to an enclosing node makes the tree cyclic.
 */
final class GuardedParser implements Parser {
    static final String PLAIN_YAML = "one YAML document of maps, lists and plain or quoted values, without "
            + "anchors (&), aliases (*) or tags other than !!str, !!int, !!float, !!bool, !!null";

    private static final Set<String> SCALAR_TAGS = Set.of(
            Tag.STR.getValue(), Tag.INT.getValue(), Tag.FLOAT.getValue(), Tag.BOOL.getValue(), Tag.NULL.getValue());

    /** Carries a refusal through the composer, whose interface cannot throw checked exceptions. */
    static final class Refusal extends RuntimeException {
        Refusal(ScenarioException error) {
            super(error.getMessage(), error, false, false);
        }

        ScenarioException error() {
            return (ScenarioException) getCause();
        }
    }

    private final Parser delegate;
    private final Source source;
    private Event lastInspected;
    private Mark lastMark;
    private int documents;

    GuardedParser(Parser delegate, Source source) {
        this.delegate = delegate;
        this.source = source;
    }

    /** Where the parser last was: the best position for SnakeYAML errors that carry none. */
    Mark lastMark() {
        return lastMark;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        inspect(delegate.peekEvent());
        return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return inspect(delegate.peekEvent());
    }

    @Override
    public Event getEvent() {
        return inspect(delegate.getEvent());
    }

    private Event inspect(Event event) {
        if (event == null || event == lastInspected) {
            return event;
        }
        lastInspected = event;
        lastMark = event.getStartMark();
        if (event instanceof AliasEvent) {
            throw refuse(
                    event,
                    "aliases (*" + ((AliasEvent) event).getAnchor() + ") are not allowed; write the value out again");
        }
        if (event instanceof NodeEvent && ((NodeEvent) event).getAnchor() != null) {
            throw refuse(
                    event,
                    "anchors (&" + ((NodeEvent) event).getAnchor() + ") are not allowed, and neither are aliases");
        }
        if (event instanceof DocumentStartEvent && ++documents > 1) {
            throw refuse(event, "a scenario file holds one YAML document; this is a second one");
        }
        if (event instanceof ScalarEvent) {
            String tag = ((ScalarEvent) event).getTag();
            if (tag != null && !SCALAR_TAGS.contains(tag)) {
                throw refuse(event, "the tag " + shortTag(tag) + " is not allowed");
            }
        }
        if (event instanceof CollectionStartEvent && ((CollectionStartEvent) event).getTag() != null) {
            throw refuse(
                    event,
                    "the tag " + shortTag(((CollectionStartEvent) event).getTag())
                            + " is not allowed on a map or list");
        }
        return event;
    }

    private Refusal refuse(Event event, String problem) {
        return new Refusal(new ScenarioException(source.at(event.getStartMark()), problem, PLAIN_YAML));
    }

    private static String shortTag(String tag) {
        return tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
    }
}
