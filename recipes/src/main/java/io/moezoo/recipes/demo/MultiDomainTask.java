package io.moezoo.recipes.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * A synthetic multi-domain classification task on which experts can specialise.
 *
 * <p>Domain d has a centre \(c_d\) and its own random linear classifier \(W_d\); a sample is \(x =
 * c_d + z\) with \(z \sim N(0, I)\) and label \(\arg\max_j (W_d z)_j\). The domain is easy to read
 * from x, but each domain needs a different function of z: one expert per domain is the natural
 * solution.
 */
public final class MultiDomainTask {

    private final int domains;
    private final int inputSize;
    private final int classes;
    private final float[][] centers;
    private final float[][][] classifiers;

    /**
     * Creates a task with fixed random centres and classifiers.
     *
     * @param domains the number of domains
     * @param inputSize the input dimension
     * @param classes the number of classes
     * @param separation the norm of each domain centre
     * @param seed the seed of centres and classifiers
     */
    public MultiDomainTask(int domains, int inputSize, int classes, float separation, long seed) {
        this.domains = domains;
        this.inputSize = inputSize;
        this.classes = classes;
        Random rng = new Random(seed);
        centers = new float[domains][inputSize];
        classifiers = new float[domains][classes][inputSize];
        for (int d = 0; d < domains; d++) {
            double norm = 0;
            for (int i = 0; i < inputSize; i++) {
                centers[d][i] = (float) rng.nextGaussian();
                norm += centers[d][i] * centers[d][i];
            }
            for (int i = 0; i < inputSize; i++) {
                centers[d][i] *= (float) (separation / Math.sqrt(norm));
            }
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < inputSize; i++) {
                    classifiers[d][c][i] = (float) rng.nextGaussian();
                }
            }
        }
    }

    /**
     * Returns the number of domains.
     *
     * @return the domains
     */
    public int domains() {
        return domains;
    }

    /**
     * Returns the input dimension.
     *
     * @return the input size
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * Returns the number of classes.
     *
     * @return the classes
     */
    public int classes() {
        return classes;
    }

    /**
     * Samples n examples of one domain.
     *
     * @param manager the manager of the arrays
     * @param domain the domain
     * @param n the number of examples
     * @param rng the random source
     * @return data {@code [n, inputSize]} and int labels {@code [n]}
     */
    public NDList sample(NDManager manager, int domain, int n, Random rng) {
        float[] x = new float[n * inputSize];
        float[] y = new float[n];
        float[] z = new float[inputSize];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < inputSize; i++) {
                z[i] = (float) rng.nextGaussian();
                x[s * inputSize + i] = centers[domain][i] + z[i];
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double score = 0;
                for (int i = 0; i < inputSize; i++) {
                    score += classifiers[domain][c][i] * z[i];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            y[s] = best;
        }
        NDArray data = manager.create(x, new Shape(n, inputSize));
        NDArray labels = manager.create(y, new Shape(n));
        return new NDList(data, labels);
    }
}
