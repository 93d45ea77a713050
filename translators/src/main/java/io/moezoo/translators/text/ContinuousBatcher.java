package io.moezoo.translators.text;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Continuous batching for a server: requests from any thread join one {@link BatchDecoder.Batch} as
 * they arrive and leave it when they finish, so that every forward pass decodes one token of each
 * running request (and prefills the prompts that just arrived) with every weight read once.
 *
 * <pre>
 *   caller threads ──generate()──▶ queue ──▶ scheduler thread:
 *       loop { admit arrivals (≤ maxBatch running) ─▶ one pass: new prompts + one token each
 *              ─▶ each request samples, streams its text, finishes or goes on }
 * </pre>
 *
 * Each request keeps its own {@link GenerationConfig}, sampler, stop rules and cache, and gets the
 * result it would get alone. Streaming callbacks run on the scheduler thread; one that throws (a
 * client that went away) ends its own request only, and the exception reaches that caller.
 */
public final class ContinuousBatcher implements AutoCloseable {

    private final BatchDecoder decoder;
    private final Object block;
    private final int maxBatch;
    private final LinkedBlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();
    private final Thread scheduler;
    private volatile boolean closed;

    /** One request in flight. */
    private static final class Request {
        final long[] prompt;
        final SequenceGeneration sequence;
        final CompletableFuture<GeneratedText> done = new CompletableFuture<>();
        int id = -1;
        long last;

        Request(long[] prompt, SequenceGeneration sequence) {
            this.prompt = prompt;
            this.sequence = sequence;
        }
    }

    /**
     * Creates a batcher over a model whose block is a {@link BatchDecoder}.
     *
     * @param model the model
     * @param maxBatch the most requests decoded together, &ge; 1; later ones wait
     * @throws IllegalArgumentException if the block is no batch decoder or maxBatch &lt; 1
     */
    public ContinuousBatcher(Model model, int maxBatch) {
        if (!(model.getBlock() instanceof BatchDecoder batchDecoder)) {
            throw new IllegalArgumentException(
                    "The model's block does not decode batches (the MoeJava engine's does)");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.decoder = batchDecoder;
        this.block = model.getBlock();
        this.maxBatch = maxBatch;
        this.scheduler = new Thread(this::schedule, "moezoo-batcher");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    /**
     * Generates a continuation, waiting until it is done; safe to call from many threads.
     *
     * @param tokenizer the tokenizer of the prompt
     * @param prompt the prompt
     * @param config how to generate
     * @param onText receives the text piece by piece (on the scheduler thread), or null
     * @return the continuation
     * @throws TranslateException if the prompt is empty or does not fit the context ({@link
     *     ContextLengthExceededException}), or generation fails
     * @throws InterruptedException if the caller is interrupted while waiting
     * @throws RuntimeException what {@code onText} threw
     */
    public GeneratedText generate(
            HuggingFaceTokenizer tokenizer,
            String prompt,
            GenerationConfig config,
            Consumer<String> onText)
            throws TranslateException, InterruptedException {
        long[] ids =
                CausalLmInput.ids(
                        tokenizer,
                        prompt,
                        1,
                        block,
                        config.maxNewTokens(),
                        config.truncatePrompt());
        Request request = new Request(ids, new SequenceGeneration(tokenizer, config, ids, onText));
        if (closed) {
            throw new IllegalStateException("The batcher is closed");
        }
        arrivals.add(request);
        try {
            return request.done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TranslateException t) {
                throw t;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new TranslateException(e.getCause());
        }
    }

    private void schedule() {
        List<Request> running = new ArrayList<>();
        try (BatchDecoder.Batch batch = decoder.newBatch()) {
            while (!closed) {
                if (running.isEmpty()) {
                    Request first = arrivals.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    running.add(admit(batch, first));
                }
                while (running.size() < maxBatch && !arrivals.isEmpty()) {
                    running.add(admit(batch, arrivals.poll()));
                }
                step(batch, running);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException stop = new IllegalStateException("The batcher was closed");
            running.forEach(r -> r.done.completeExceptionally(stop));
            arrivals.forEach(r -> r.done.completeExceptionally(stop));
        }
    }

    private static Request admit(BatchDecoder.Batch batch, Request request) {
        request.id = batch.add();
        return request;
    }

    /** One forward pass: the new requests' prompts and one token of every other request. */
    private static void step(BatchDecoder.Batch batch, List<Request> running) {
        int n = running.size();
        int[] sequences = new int[n];
        long[][] tokens = new long[n][];
        for (int i = 0; i < n; i++) {
            Request r = running.get(i);
            sequences[i] = r.id;
            tokens[i] = r.sequence.started() ? new long[] {r.last} : r.prompt;
        }
        float[][] logits;
        try {
            logits = batch.run(sequences, tokens);
        } catch (RuntimeException e) {
            for (Request r : running) {
                finish(batch, r, null, e);
            }
            running.clear();
            return;
        }
        List<Request> still = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Request r = running.get(i);
            try {
                long token = r.sequence.step(logits[i]);
                if (token < 0) {
                    finish(batch, r, r.sequence.result(), null);
                } else {
                    r.last = token;
                    still.add(r);
                }
            } catch (TranslateException | RuntimeException e) {
                finish(batch, r, null, e);
            }
        }
        running.clear();
        running.addAll(still);
    }

    private static void finish(
            BatchDecoder.Batch batch, Request r, GeneratedText result, Exception failure) {
        batch.remove(r.id);
        if (failure != null) {
            r.done.completeExceptionally(failure);
        } else {
            r.done.complete(result);
        }
    }

    /** Stops the scheduler; requests still waiting or running fail. */
    @Override
    public void close() {
        closed = true;
        scheduler.interrupt();
        try {
            scheduler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A request that arrived while the scheduler was stopping.
        IllegalStateException stop = new IllegalStateException("The batcher was closed");
        for (Request r = arrivals.poll(); r != null; r = arrivals.poll()) {
            r.done.completeExceptionally(stop);
        }
    }
}
