package io.moezoo.recipes.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the experts of one MoE layer live on W workers, and which replica serves a token.
 *
 * <p>Each worker has the same number of expert slots, {@code ceil(E / W)} plus any extra replica
 * slots; an expert has one replica or more (more when there are more slots than experts, as with 8
 * experts on 64 workers). A worker never holds two replicas of one expert. Which replica serves an
 * assignment follows one of two rules:
 *
 * <ul>
 *   <li><b>locality</b>: the replica on the token's own worker if there is one, else one on its own
 *       node if there is one, else any; among several candidates the source worker's assignments to
 *       e are dealt round-robin from a source-dependent offset;
 *   <li><b>balanced</b>: the step's assignments to e, numbered globally (sources in worker order,
 *       which the count exchange before a dropless all-to-all makes known to every worker), are
 *       dealt round-robin over all replicas, so each replica gets an equal share whatever the
 *       locality;
 *   <li><b>node-balanced</b>: the same, but over the replicas on the source's node and numbered
 *       within the node (over all replicas when the node has none): balance without leaving the
 *       node.
 * </ul>
 *
 * @param name the strategy's name, for tables
 * @param numWorkers W
 * @param workersPerNode the workers that share a node (fast intra-node links)
 * @param replicas for each expert, the workers holding a replica, ascending
 * @param rule how the replica serving an assignment is chosen
 */
public record Placement(
        String name, int numWorkers, int workersPerNode, int[][] replicas, ReplicaRule rule) {

    /** How the replica serving an assignment is chosen. */
    public enum ReplicaRule {
        /** Own worker, else own node, else any; round-robin per source. */
        LOCALITY,
        /** Round-robin over all replicas in global order. */
        BALANCED,
        /** Round-robin over the source node's replicas in node order. */
        NODE_BALANCED
    }

    /**
     * Validates the placement: every expert has a replica, worker ids are in range, no worker holds
     * two replicas of one expert, and every worker has the same number of slots in use or one less.
     *
     * @param name the name
     * @param numWorkers W
     * @param workersPerNode workers per node
     * @param replicas replicas per expert
     * @param rule the replica rule
     */
    public Placement {
        if (numWorkers < 1 || workersPerNode < 1 || replicas.length < 1) {
            throw new IllegalArgumentException("need workers, a node size and experts");
        }
        int[] slots = new int[numWorkers];
        int[][] copy = new int[replicas.length][];
        for (int e = 0; e < replicas.length; e++) {
            copy[e] = replicas[e].clone();
            Arrays.sort(copy[e]);
            if (copy[e].length == 0) {
                throw new IllegalArgumentException("expert " + e + " has no replica");
            }
            for (int i = 0; i < copy[e].length; i++) {
                int w = copy[e][i];
                if (w < 0 || w >= numWorkers || (i > 0 && copy[e][i - 1] == w)) {
                    throw new IllegalArgumentException("bad replica worker " + w + " of " + e);
                }
                slots[w]++;
            }
        }
        int min = Arrays.stream(slots).min().orElseThrow();
        int max = Arrays.stream(slots).max().orElseThrow();
        if (max - min > 1) {
            throw new IllegalArgumentException("workers hold " + min + " to " + max + " experts");
        }
        replicas = copy;
        java.util.Objects.requireNonNull(rule, "rule");
    }

    /**
     * Blocks of consecutive experts per worker (expert e on worker {@code floor(e·W/E)}); with more
     * workers than experts, expert e on the consecutive workers {@code [e·W/E, (e+1)·W/E)}.
     *
     * @param experts E
     * @param workers W
     * @param workersPerNode workers per node
     * @return the placement
     */
    public static Placement contiguous(int experts, int workers, int workersPerNode) {
        int[][] r = new int[experts][];
        if (workers <= experts) {
            for (int e = 0; e < experts; e++) {
                r[e] = new int[] {(int) ((long) e * workers / experts)};
            }
        } else {
            List<List<Integer>> hosts = lists(experts);
            for (int w = 0; w < workers; w++) {
                hosts.get((int) ((long) w * experts / workers)).add(w);
            }
            r = arrays(hosts);
        }
        return new Placement("contiguous", workers, workersPerNode, r, ReplicaRule.LOCALITY);
    }

    /**
     * Experts dealt to workers in turn (expert e on worker {@code e mod W}); with more workers than
     * experts, worker w holds expert {@code w mod E}, so every run of E consecutive workers (a
     * node, when E equals the node size) holds every expert: DeepSpeed's expert-parallel groups of
     * size E repeated W/E times.
     *
     * @param experts E
     * @param workers W
     * @param workersPerNode workers per node
     * @return the placement
     */
    public static Placement roundRobin(int experts, int workers, int workersPerNode) {
        List<List<Integer>> hosts = lists(experts);
        if (workers <= experts) {
            for (int e = 0; e < experts; e++) {
                hosts.get(e).add(e % workers);
            }
        } else {
            for (int w = 0; w < workers; w++) {
                hosts.get(w % experts).add(w);
            }
        }
        return new Placement(
                "round-robin", workers, workersPerNode, arrays(hosts), ReplicaRule.LOCALITY);
    }

    /**
     * Load-aware placement from measured expert loads. The {@code W · (ceil(E/W) + extraSlots)}
     * slots are first shared among the experts (one replica each, then each further replica to the
     * expert with the highest load per replica); the replicas are then packed onto workers heaviest
     * first, each onto the least-loaded worker with a free slot that does not hold that expert yet
     * (longest-processing-time first). Replicas are chosen by the balanced rule.
     *
     * @param name the strategy's name
     * @param load the assignments per expert in a calibration sample
     * @param workers W
     * @param extraSlots replica slots per worker beyond {@code ceil(E/W)}
     * @param workersPerNode workers per node
     * @return the placement
     */
    public static Placement loadAware(
            String name, long[] load, int workers, int extraSlots, int workersPerNode) {
        int experts = load.length;
        int perWorker = (experts + workers - 1) / workers + extraSlots;
        int slots = Math.max(experts, Math.min(workers * perWorker, experts * workers));
        int[] count = new int[experts];
        Arrays.fill(count, 1);
        for (int s = experts; s < slots; s++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                if (count[e] < workers
                        && (best < 0
                                || (load[e] + 1.0) / count[e] > (load[best] + 1.0) / count[best])) {
                    best = e;
                }
            }
            count[best]++;
        }
        List<int[]> items = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            for (int c = 0; c < count[e]; c++) {
                items.add(new int[] {e});
            }
        }
        items.sort((a, b) -> Double.compare(share(load, count, b[0]), share(load, count, a[0])));
        double[] workerLoad = new double[workers];
        int[] used = new int[workers];
        List<List<Integer>> hosts = lists(experts);
        int capacity = (slots + workers - 1) / workers;
        for (int[] item : items) {
            int e = item[0];
            int best = -1;
            for (int w = 0; w < workers; w++) {
                if (used[w] < capacity
                        && !hosts.get(e).contains(w)
                        && (best < 0
                                || workerLoad[w] < workerLoad[best]
                                || (workerLoad[w] == workerLoad[best] && used[w] < used[best]))) {
                    best = w;
                }
            }
            if (best < 0) {
                best = makeRoom(hosts, used, capacity, e);
            }
            hosts.get(e).add(best);
            used[best]++;
            workerLoad[best] += share(load, count, e);
        }
        return new Placement(name, workers, workersPerNode, arrays(hosts), ReplicaRule.BALANCED);
    }

    /**
     * Load-aware placement inside every node: each node of {@code workersPerNode} workers gets its
     * own {@link #loadAware} placement of all E experts from the same loads (so a node holds every
     * expert, hot ones replicated), and assignments are balanced over the replicas of the source's
     * node. Nothing crosses nodes; with W at most one node this is {@link #loadAware} itself.
     *
     * @param name the strategy's name
     * @param load the assignments per expert in a calibration sample
     * @param workers W, a multiple of workersPerNode when larger than it
     * @param extraSlots replica slots per worker beyond {@code ceil(E/workersPerNode)}
     * @param workersPerNode workers per node
     * @return the placement
     */
    public static Placement nodeLoadAware(
            String name, long[] load, int workers, int extraSlots, int workersPerNode) {
        if (workers <= workersPerNode) {
            return loadAware(name, load, workers, extraSlots, workersPerNode);
        }
        if (workers % workersPerNode != 0) {
            throw new IllegalArgumentException("W must be a multiple of the node size");
        }
        Placement one = loadAware(name, load, workersPerNode, extraSlots, workersPerNode);
        List<List<Integer>> hosts = lists(load.length);
        for (int node = 0; node < workers / workersPerNode; node++) {
            for (int e = 0; e < load.length; e++) {
                for (int w : one.replicasOf(e)) {
                    hosts.get(e).add(node * workersPerNode + w);
                }
            }
        }
        return new Placement(
                name, workers, workersPerNode, arrays(hosts), ReplicaRule.NODE_BALANCED);
    }

    /**
     * Frees a slot for expert e when every worker with a free slot already holds e: moves an expert
     * x from a full worker v that lacks e to such a worker w (which must lack x), and returns v.
     */
    private static int makeRoom(List<List<Integer>> hosts, int[] used, int capacity, int e) {
        for (int w = 0; w < used.length; w++) {
            if (used[w] >= capacity) {
                continue;
            }
            for (int v = 0; v < used.length; v++) {
                if (hosts.get(e).contains(v)) {
                    continue;
                }
                for (List<Integer> hx : hosts) {
                    if (hx.contains(v) && !hx.contains(w)) {
                        hx.remove(Integer.valueOf(v));
                        hx.add(w);
                        used[w]++;
                        used[v]--;
                        return v;
                    }
                }
            }
        }
        throw new IllegalStateException("no slot for expert " + e);
    }

    private static double share(long[] load, int[] count, int e) {
        return (double) load[e] / count[e];
    }

    /**
     * Returns E.
     *
     * @return the number of experts
     */
    public int numExperts() {
        return replicas.length;
    }

    /**
     * Returns the replicas of an expert. Do not modify.
     *
     * @param expert the expert
     * @return the workers holding it
     */
    public int[] replicasOf(int expert) {
        return replicas[expert];
    }

    /**
     * Returns the node of a worker.
     *
     * @param worker the worker
     * @return {@code worker / workersPerNode}
     */
    public int nodeOf(int worker) {
        return worker / workersPerNode;
    }

    /**
     * Returns the worker that processes an assignment, by the placement's replica rule.
     *
     * @param source the worker holding the token
     * @param expert the chosen expert
     * @param nth how many earlier assignments this source sent to this expert in the step
     * @param globalNth how many earlier assignments any worker sent to this expert in the step
     *     (sources in worker order)
     * @param nodeNth how many earlier assignments any worker of the source's node sent to this
     *     expert in the step
     * @return the destination worker
     */
    public int destination(int source, int expert, int nth, long globalNth, long nodeNth) {
        int[] r = replicas[expert];
        if (rule == ReplicaRule.BALANCED) {
            return r[(int) (globalNth % r.length)];
        }
        if (rule == ReplicaRule.NODE_BALANCED) {
            int node = nodeOf(source);
            int onNode = (int) Arrays.stream(r).filter(w -> nodeOf(w) == node).count();
            if (onNode == 0) {
                return r[(int) (globalNth % r.length)];
            }
            long pick = nodeNth % onNode;
            for (int w : r) {
                if (nodeOf(w) == node && pick-- == 0) {
                    return w;
                }
            }
        }
        if (Arrays.binarySearch(r, source) >= 0) {
            return source;
        }
        int node = nodeOf(source);
        int onNode = 0;
        for (int w : r) {
            if (nodeOf(w) == node) {
                onNode++;
            }
        }
        int pick = Math.floorMod(source + nth, onNode > 0 ? onNode : r.length);
        for (int w : r) {
            if (onNode == 0 || nodeOf(w) == node) {
                if (pick-- == 0) {
                    return w;
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * Returns the experts each worker holds.
     *
     * @return {@code [W][]} expert ids, ascending
     */
    public int[][] expertsPerWorker() {
        List<List<Integer>> held = lists(numWorkers);
        for (int e = 0; e < replicas.length; e++) {
            for (int w : replicas[e]) {
                held.get(w).add(e);
            }
        }
        return arrays(held);
    }

    private static List<List<Integer>> lists(int n) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private static int[][] arrays(List<List<Integer>> lists) {
        int[][] a = new int[lists.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = lists.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return a;
    }
}
