package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's grad mode is thread-local and on in a fresh thread; Spark's task threads predict with
 * it off.
 */
class NoGradScopeTest {

    @Test
    void taskThreadsPredictWithGradModeOff() throws Exception {
        ZooModelSpec<PreferencePair, PreferenceProbability> spec =
                new PreferenceScorer("dmoerm-brown", Map.of()).spec();
        ExecutorModels.get(spec); // the engine is started on this thread
        AtomicBoolean fresh = new AtomicBoolean();
        Thread t = new Thread(() -> fresh.set(JniUtils.isGradMode()));
        t.start();
        t.join();
        assertTrue(fresh.get(), "a fresh thread starts with grad mode on");

        Dataset<Row> pairs =
                JobInputs.read(LocalSpark.get(), Family.REWARD, Fixtures.path("pairs.jsonl"))
                        .repartition(2);
        List<Row> rows = PartitionInference.map(pairs, spec, new GradModeCodec()).collectAsList();
        assertEquals(6, rows.size());
        for (Row row : rows) {
            assertEquals(false, row.<Boolean>getAs("grad_mode"), row.toString());
        }
    }

    /** The reward codec's input, with the task thread's grad mode as the result. */
    private static final class GradModeCodec
            implements RowCodec<PreferencePair, PreferenceProbability> {

        private static final long serialVersionUID = 1L;

        @Override
        public List<String> droppedColumns() {
            return List.of();
        }

        @Override
        public List<StructField> resultFields() {
            return List.of(DataTypes.createStructField("grad_mode", DataTypes.BooleanType, false));
        }

        @Override
        public PreferencePair input(Row row, NDManager manager) {
            return PreferenceScorer.codec().input(row, manager);
        }

        @Override
        public Object[] results(PreferenceProbability output) {
            return new Object[] {JniUtils.isGradMode()};
        }
    }
}
