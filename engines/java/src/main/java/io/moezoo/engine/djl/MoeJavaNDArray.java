package io.moezoo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrayAdapter;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** An array of the engine: a direct host buffer in native order. */
final class MoeJavaNDArray extends NDArrayAdapter {

    private ByteBuffer data;

    MoeJavaNDArray(
            MoeJavaNDManager manager,
            NDManager alternativeManager,
            ByteBuffer data,
            Shape shape,
            DataType dataType) {
        super(manager, alternativeManager, shape, dataType, UUID.randomUUID().toString());
        this.data = data;
        manager.attachInternal(uid, this);
    }

    /** {@inheritDoc} */
    @Override
    public ByteBuffer toByteBuffer(boolean tryDirect) {
        if (isClosed) {
            throw new IllegalStateException("The array has been closed");
        }
        return data.duplicate().order(ByteOrder.nativeOrder()).rewind();
    }

    /** {@inheritDoc} */
    @Override
    public void intern(NDArray replaced) {
        MoeJavaNDArray other = (MoeJavaNDArray) replaced;
        data = other.data;
        shape = other.shape;
        dataType = other.dataType;
        replaced.close();
    }

    /** {@inheritDoc} */
    @Override
    public void detach() {
        manager.detachInternal(getUid());
        manager = MoeJavaNDManager.getSystemManager();
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        data = null;
        super.close();
    }
}
