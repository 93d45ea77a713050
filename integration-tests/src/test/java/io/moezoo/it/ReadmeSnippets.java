package io.moezoo.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java snippets of the README, as written there: each {@code ```java} block is a list of imports
 * followed by statements, and becomes the {@code main} method of a class of its own.
 */
final class ReadmeSnippets {

    /** One snippet: where it starts in the README, its imports and its statements. */
    record Snippet(int line, List<String> imports, String body) {

        String className() {
            return "ReadmeSnippetAtLine" + line;
        }

        String source() {
            StringBuilder s = new StringBuilder();
            imports.forEach(i -> s.append(i).append('\n'));
            s.append("\npublic class ").append(className()).append(" {\n");
            s.append("    public static void main(String[] args) throws Exception {\n");
            s.append(body);
            s.append("\n    }\n}\n");
            return s.toString();
        }
    }

    private ReadmeSnippets() {}

    static List<Snippet> read(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals("```java")) {
                continue;
            }
            int start = i + 1;
            List<String> imports = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
                String line = lines.get(i);
                if (line.startsWith("import ")) {
                    imports.add(line);
                } else {
                    body.append(line).append('\n');
                }
            }
            snippets.add(new Snippet(start + 1, imports, body.toString()));
        }
        return snippets;
    }
}
