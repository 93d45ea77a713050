package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.translators.text.ChatMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real chat templates of the supported families (src/test/resources/chat-templates/, where the
 * README says where each comes from) rendered against the expected prompt of llama.cpp's
 * test-chat-template.cpp conversation.
 */
class ChatTemplateTest {

    /** The conversation of llama.cpp's tests/test-chat-template.cpp. */
    static final List<ChatMessage> CONVERSATION =
            List.of(
                    ChatMessage.system("You are a helpful assistant"),
                    ChatMessage.user("Hello"),
                    ChatMessage.assistant("Hi there"),
                    ChatMessage.user("Who are you"),
                    ChatMessage.assistant("   I am an assistant   "),
                    ChatMessage.user("Another question"));

    static String resource(String name) throws IOException {
        try (InputStream in =
                ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String nullable(String s) {
        return "null".equals(s) ? null : s;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            emptyValue = "",
            nullValues = {},
            value = {
                "chatml-openhermes;'';'';true",
                "qwen3;null;<|im_end|>;true",
                "mistral-v1;'';</s>;true",
                "mistral-v0.2;'';</s>;false",
                "deepseek-v2;'';<｜end▁of▁sentence｜>;true",
                "deepseek-v3.1;<｜begin▁of▁sentence｜>;<｜end▁of▁sentence｜>;true",
                "granite-3.0;'';'';true",
                "glm-4.5;null;null;true"
            })
    void rendersTheExpectedPrompt(String template, String bos, String eos, boolean system)
            throws IOException {
        ChatTemplate t =
                ChatTemplate.of(
                        template, resource(template + ".jinja"), nullable(bos), nullable(eos));
        List<ChatMessage> messages = system ? CONVERSATION : CONVERSATION.subList(1, 6);
        assertEquals(resource(template + ".expected"), t.render(messages, true));
    }

    @Test
    void raiseExceptionIsTyped() throws IOException {
        ChatTemplate t =
                ChatTemplate.of("mistral-v0.2", resource("mistral-v0.2.jinja"), "", "</s>");
        ChatTemplateRaisedException e =
                assertThrows(ChatTemplateRaisedException.class, () -> t.render(CONVERSATION, true));
        assertEquals(
                "Conversation roles must alternate user/assistant/user/assistant/...",
                e.templateMessage());
        assertTrue(e.getMessage().contains("mistral-v0.2"), e.getMessage());
    }

    @Test
    void noFileIsLoaded(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("secret.txt"), "secret");
        for (String source :
                List.of(
                        "{% include '" + dir.resolve("secret.txt") + "' %}",
                        "{% import '" + dir.resolve("secret.txt") + "' as x %}",
                        "{% extends '" + dir.resolve("secret.txt") + "' %}")) {
            ChatTemplate t = ChatTemplate.of("hostile", source, null, null);
            ChatTemplateException e =
                    assertThrows(ChatTemplateException.class, () -> t.render(CONVERSATION, true));
            assertTrue(e.getMessage().contains("hostile"), e.getMessage());
        }
    }

    @Test
    void outputAndSyntaxErrorsAreBounded() {
        ChatTemplate huge =
                ChatTemplate.of(
                        "huge",
                        "{% for i in range(1000) %}{% for j in range(1000) %}{{ 'xxxxxxxxxx' }}"
                                + "{% endfor %}{% endfor %}",
                        null,
                        null);
        assertThrows(ChatTemplateException.class, () -> huge.render(CONVERSATION, true));
        ChatTemplate broken = ChatTemplate.of("broken", "{% for m in messages %}", null, null);
        ChatTemplateException e =
                assertThrows(ChatTemplateException.class, () -> broken.render(CONVERSATION, true));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
        ChatTemplate recursive =
                ChatTemplate.of(
                        "recursive",
                        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
                        null,
                        null);
        assertThrows(ChatTemplateException.class, () -> recursive.render(CONVERSATION, true));
    }

    @Test
    void pythonStringMethods() {
        ChatTemplate t =
                ChatTemplate.of(
                        "strings",
                        "{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ 'abc'.startswith('ab') }}"
                                + "|{{ 'a</think>b</think>c'.split('</think>')[-1] }}"
                                + "|{{ 'a,b,c'.split(',', 1)[1] }}|{{ 'hello world'.title() }}",
                        null,
                        null);
        assertEquals("a b|a|true|c|b,c|Hello World", t.render(CONVERSATION, true));
        ChatTemplate unknown = ChatTemplate.of("unknown", "{{ 'a'.zfill(3) }}", null, null);
        assertThrows(ChatTemplateException.class, () -> unknown.render(CONVERSATION, true));
    }

    @Test
    void whitespaceAsTransformersCompilesTemplates() {
        // trim_blocks drops the newline after a block tag; lstrip_blocks the blanks before a block
        // tag at the start of a line only, not in the middle of one.
        ChatTemplate t =
                ChatTemplate.of(
                        "blanks",
                        "a {% if true %}b{% endif %} x\n  {% if true %}\nc{% endif %} {{- ' d' }}",
                        null,
                        null);
        assertEquals("a b x\nc d", t.render(CONVERSATION, true));
    }

    @Test
    void strftime() {
        ZonedDateTime t = ZonedDateTime.of(2024, 7, 4, 15, 5, 9, 0, ZoneOffset.UTC);
        assertEquals(
                "04 Jul 2024 Thursday 03:05:09 PM",
                ChatTemplateSandbox.strftime("%d %b %Y %A %I:%M:%S %p", t));
    }

    @Test
    void readsTheCheckpointsTemplate(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{{ bos_token }}{% for m in messages %}{{ m.content }}"
                        + "{% endfor %}\", \"bos_token\": {\"content\": \"<s>\", \"lstrip\": false},"
                        + " \"eos_token\": \"</s>\"}");
        ChatTemplate t = ChatTemplate.read(dir);
        assertEquals("<s>", t.bosToken());
        assertEquals("</s>", t.eosToken());
        assertEquals("<s>Hello", t.render(List.of(ChatMessage.user("Hello")), true));
        // chat_template.jinja takes precedence, as in transformers
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ eos_token }}");
        assertEquals("</s>", ChatTemplate.read(dir).render(List.of(), true));
    }

    @Test
    void readsTheDefaultOfANamedList(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"},"
                        + " {\"name\": \"default\", \"template\": \"D\"}]}");
        assertEquals("D", ChatTemplate.read(dir).render(List.of(), false));
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}]}");
        MalformedCheckpointException e =
                assertThrows(MalformedCheckpointException.class, () -> ChatTemplate.read(dir));
        assertTrue(e.getMessage().contains("default"), e.getMessage());
    }

    @Test
    void refusesMissingAndMalformedTemplates(@TempDir Path dir) throws Exception {
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> ChatTemplate.read(dir));
        assertTrue(none.getMessage().contains("no chat template"), none.getMessage());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 3}");
        MalformedCheckpointException e =
                assertThrows(MalformedCheckpointException.class, () -> ChatTemplate.read(dir));
        assertTrue(e.getMessage().contains("chat_template"), e.getMessage());
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"x\", \"eos_token\": [1]}");
        e = assertThrows(MalformedCheckpointException.class, () -> ChatTemplate.read(dir));
        assertTrue(e.getMessage().contains("eos_token"), e.getMessage());
        Files.write(dir.resolve("chat_template.jinja"), new byte[] {(byte) 0xff, 'a'});
        assertThrows(MalformedCheckpointException.class, () -> ChatTemplate.read(dir));
        Files.delete(dir.resolve("chat_template.jinja"));
        Files.createDirectory(dir.resolve("chat_template.jinja"));
        assertThrows(MalformedCheckpointException.class, () -> ChatTemplate.read(dir));
    }
}
