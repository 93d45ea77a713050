package io.moezoo.blocks.spec;

/** The checks the router spec records share; each throws naming the router and the field. */
final class RouterChecks {

    private RouterChecks() {}

    static void require(boolean condition, String router, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid " + router + " router spec: " + message);
        }
    }

    /** E &gt; 0, null experts &gt;= 0, 1 &lt;= k &lt;= E + null experts. */
    static void experts(String router, int numExperts, int topK, int nullExperts) {
        require(numExperts > 0, router, "numExperts must be > 0, got " + numExperts);
        require(nullExperts >= 0, router, "nullExperts must be >= 0, got " + nullExperts);
        require(topK > 0, router, "topK must be > 0, got " + topK);
        int choices = numExperts + nullExperts;
        require(
                topK <= choices,
                router,
                "topK (k=" + topK + ") exceeds the number of experts (E=" + choices + ")");
    }

    static void scaling(String router, float scalingFactor) {
        require(
                Float.isFinite(scalingFactor) && scalingFactor > 0,
                router,
                "scalingFactor must be finite and > 0, got " + scalingFactor);
    }

    static void jitter(String router, float jitter) {
        require(jitter >= 0 && jitter < 1, router, "jitter must be in [0, 1), got " + jitter);
    }

    static void groupSize(String router, int groupSize) {
        require(groupSize >= 0, router, "groupSize must be >= 0, got " + groupSize);
    }
}
