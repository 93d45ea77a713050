package io.moezoo.recipes.demo;

import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.util.Locale;

/**
 * Trains a two-layer Mixtral-style MoE (4 SwiGLU experts, top-2) with DJL's EasyTrain on {@link
 * MultiDomainTask} and prints the loss, the accuracy, the expert load of each layer and which
 * experts each domain uses.
 */
public final class MoeDemo {

    private MoeDemo() {}

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        MoeLayerSpec layer =
                MoeLayerSpec.of(RouterPresets.mixtral(4, 2), new SwiGluExpertSpec(4, 32, 64));
        System.out.println("Training a 2-layer MoE (E=4, top-2, SwiGLU) on 4 synthetic domains");
        MultiDomainTraining.Result r =
                MultiDomainTraining.train(MultiDomainTraining.Config.of(layer), null);
        int perEpoch = r.stepsPerEpoch();
        for (int epoch = 0; epoch < r.testAccuracy().length; epoch++) {
            double task = 0;
            double aux = 0;
            for (int s = epoch * perEpoch; s < (epoch + 1) * perEpoch; s++) {
                task += r.taskLoss()[s] / perEpoch;
                aux += r.auxLoss()[s] / perEpoch;
            }
            System.out.printf(
                    Locale.ROOT,
                    "epoch %2d  task loss %.4f  aux loss %.4f  test accuracy %.3f%n",
                    epoch + 1,
                    task,
                    aux,
                    r.testAccuracy()[epoch]);
        }
        System.out.print(report(r));
    }

    /**
     * Formats how each layer routes each domain, with the mutual information I(expert; domain).
     *
     * @param r a training result
     * @return the text
     */
    public static String report(MultiDomainTraining.Result r) {
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < r.assignments().length; l++) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nlayer %d: assignments per expert for each domain%n",
                            l));
            long[][] perDomain = r.assignments()[l];
            for (int d = 0; d < perDomain.length; d++) {
                StringBuilder row =
                        new StringBuilder(String.format(Locale.ROOT, "  domain %d |", d));
                long total = 0;
                for (long c : perDomain[d]) {
                    total += c;
                }
                for (long c : perDomain[d]) {
                    int bar = (int) Math.round(20.0 * c / total);
                    row.append(String.format(Locale.ROOT, " %5d %-20s", c, "#".repeat(bar)));
                }
                out.append(row).append('\n');
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  mutual information I(expert; domain) = %.3f nats (max %.3f)%n",
                            r.mutualInformation()[l],
                            Math.log(perDomain.length)));
        }
        return out.toString();
    }
}
