package io.moezoo.recipes.demo;

/**
 * Measures how much an MoE layer's expert choice tells about the domain of a token: the mutual
 * information \(I(E; D) = \sum_{e,d} p(e,d) \log \frac{p(e,d)}{p(e)p(d)}\) (nats) of the table of
 * assignment counts per (domain, expert). It is 0 when every domain uses the experts alike and
 * \(\log D\) at most.
 */
public final class RoutingSpecialization {

    private RoutingSpecialization() {}

    /**
     * Computes I(E; D).
     *
     * @param counts assignments per domain (rows) and expert (columns)
     * @return the mutual information in nats
     */
    public static double mutualInformation(long[][] counts) {
        double total = 0;
        int experts = counts[0].length;
        double[] perDomain = new double[counts.length];
        double[] perExpert = new double[experts];
        for (int d = 0; d < counts.length; d++) {
            for (int e = 0; e < experts; e++) {
                total += counts[d][e];
                perDomain[d] += counts[d][e];
                perExpert[e] += counts[d][e];
            }
        }
        double mi = 0;
        for (int d = 0; d < counts.length; d++) {
            for (int e = 0; e < experts; e++) {
                if (counts[d][e] > 0) {
                    double joint = counts[d][e] / total;
                    mi += joint * Math.log(joint / (perDomain[d] / total * perExpert[e] / total));
                }
            }
        }
        return mi;
    }
}
