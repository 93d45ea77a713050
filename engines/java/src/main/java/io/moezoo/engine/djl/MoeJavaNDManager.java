package io.moezoo.engine.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The engine's NDManager: arrays are host buffers ({@link MoeJavaNDArray}); operations the engine
 * does not implement run on the alternative engine's manager, as in DJL's hybrid engines.
 */
public class MoeJavaNDManager extends BaseNDManager {

    private static final MoeJavaNDManager SYSTEM = new SystemManager();

    private MoeJavaNDManager(NDManager parent, Device device) {
        super(parent, device);
    }

    static MoeJavaNDManager getSystemManager() {
        return SYSTEM;
    }

    /** {@inheritDoc} */
    @Override
    public ByteBuffer allocateDirect(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray from(NDArray array) {
        if (array == null || array instanceof MoeJavaNDArray) {
            return array;
        }
        NDArray result = create(array.toByteBuffer(), array.getShape(), array.getDataType());
        result.setName(array.getName());
        return result;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray create(Buffer data, Shape shape, DataType dataType) {
        int size = Math.toIntExact(shape.size());
        BaseNDManager.validateBuffer(data, dataType, size);
        ByteBuffer copy = allocateDirect(size * dataType.getNumOfBytes());
        BaseNDManager.copyBuffer(data, copy);
        copy.rewind();
        return new MoeJavaNDArray(this, alternativeManager, copy, shape, dataType);
    }

    /**
     * Wraps float values without a second copy.
     *
     * @param values the values
     * @param shape their shape
     * @return the array
     */
    public NDArray createFloats(float[] values, Shape shape) {
        ByteBuffer bytes = allocateDirect(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        return new MoeJavaNDArray(this, alternativeManager, bytes, shape, DataType.FLOAT32);
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newSubManager(Device device) {
        MoeJavaNDManager manager = new MoeJavaNDManager(this, device);
        attachInternal(manager.uid, manager);
        return manager;
    }

    /** {@inheritDoc} */
    @Override
    public final Engine getEngine() {
        return Engine.getEngine(MoeJavaEngine.ENGINE_NAME);
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        super.close();
        if (alternativeManager != null) {
            alternativeManager.close();
            alternativeManager = null;
        }
    }

    /** The root manager: never closed. */
    private static final class SystemManager extends MoeJavaNDManager implements SystemNDManager {

        SystemManager() {
            super(null, null);
        }

        @Override
        public void close() {}
    }
}
