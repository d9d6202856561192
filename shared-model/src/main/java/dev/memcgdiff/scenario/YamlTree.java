package dev.memcgdiff.scenario;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns scenario text into SnakeYAML nodes (which keep their positions), and every way that can
 * fail into a {@link ScenarioException}. The limits bound the work any input can cause: no
 * aliases means no "billion laughs", the depth limit keeps the recursive composer far from the
 * end of the stack, the size limit bounds memory.
 */
final class YamlTree {
    static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    static final int MAX_DEPTH = 50;

    private YamlTree() {}

    /** The single document's root node, or null for a file with no document at all. */
    static Node compose(Source source, String text) throws ScenarioException {
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw source.error(
                    source.start(),
                    "the file is longer than " + MAX_CODE_POINTS + " characters",
                    "a scenario of at most " + MAX_CODE_POINTS + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setProcessComments(false);
        options.setMergeOnCompose(false);
        GuardedParser parser = new GuardedParser(new ParserImpl(new StreamReader(text), options), source);
        try {
            return new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (GuardedParser.Refusal refusal) {
            throw refusal.error();
        } catch (MarkedYAMLException e) {
            throw syntaxError(source, e);
        } catch (ReaderException e) {
            throw unprintable(source, text);
        } catch (YAMLException e) {
            throw new ScenarioException(
                    source.at(parser.lastMark()),
                    "YAML error: " + clean(e.getMessage()),
                    GuardedParser.PLAIN_YAML + ", nested at most " + MAX_DEPTH + " deep");
        } catch (StackOverflowError | RuntimeException e) {
            // Not expected with the limits above; still a refusal, never a crash of the caller.
            throw new ScenarioException(
                    source.at(parser.lastMark()),
                    "the YAML reader failed: " + clean(String.valueOf(e)),
                    GuardedParser.PLAIN_YAML);
        }
    }

    private static ScenarioException syntaxError(Source source, MarkedYAMLException e) {
        Mark problemMark = e.getProblemMark();
        Mark contextMark = e.getContextMark();
        Mark mark = problemMark != null ? problemMark : contextMark;
        StringBuilder problem = new StringBuilder("YAML syntax error: ");
        String what = clean(e.getProblem());
        problem.append(what.isEmpty() ? clean(e.getContext()) : what);
        String context = clean(e.getContext());
        if (!what.isEmpty() && !context.isEmpty()) {
            problem.append(" (").append(context);
            if (contextMark != null && problemMark != null && contextMark.getLine() != problemMark.getLine()) {
                problem.append(" that starts at line ")
                        .append(contextMark.getLine() + 1)
                        .append(" column ")
                        .append(contextMark.getColumn() + 1);
            }
            problem.append(')');
        }
        return new ScenarioException(
                source.at(mark),
                problem.toString(),
                "YAML: `key: value` maps and `- item` lists indented with spaces, or flow style {...} and [...]");
    }

    /** SnakeYAML reports the offset within its read buffer, so find the character again. */
    private static ScenarioException unprintable(Source source, String text) {
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!StreamReader.isPrintable(cp)) {
                return new ScenarioException(
                        source.at(text, i),
                        String.format("the character U+%04X cannot appear in YAML", cp),
                        "printable Unicode text, tabs and line breaks");
            }
            i += Character.charCount(cp);
        }
        return new ScenarioException(
                source.start(), "the text cannot be read as YAML", "printable Unicode text, tabs and line breaks");
    }

    /** SnakeYAML's texts span lines and quote snippets; a scenario message is one line. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
