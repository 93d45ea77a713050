package io.moezoo.engine.gguf;

import java.util.LinkedHashMap;
import java.util.Map;

/** Hostile GGUF files, each with a fragment of the error message it must produce. */
final class HostileGgufCases {

    private HostileGgufCases() {}

    /** name -> {bytes, expected message fragment}. */
    static Map<String, Object[]> all() {
        Map<String, Object[]> c = new LinkedHashMap<>();
        long f32 = GgufType.F32.id();
        c.put("empty", new Object[] {new byte[0], "too short"});
        c.put(
                "bad magic",
                new Object[] {
                    new RawGguf().bytes("GGML".getBytes()).u32(3).u64(0).u64(0).toBytes(), "magic"
                });
        c.put("version 1", new Object[] {RawGguf.header(1, 0, 0).toBytes(), "1 is not supported"});
        c.put("version 4", new Object[] {RawGguf.header(4, 0, 0).toBytes(), "4 is not supported"});
        c.put(
                "big-endian",
                new Object[] {RawGguf.header(0x03000000L, 0, 0).toBytes(), "big-endian"});
        c.put(
                "huge tensor count",
                new Object[] {RawGguf.header(3, 1L << 40, 0).toBytes(), "tensor_count"});
        c.put(
                "tensor count beyond the file",
                new Object[] {RawGguf.header(3, 1000, 0).toBytes(), "only"});
        c.put(
                "huge key count",
                new Object[] {RawGguf.header(3, 0, Long.MAX_VALUE).toBytes(), "kv_count"});
        c.put("negative key count", new Object[] {RawGguf.header(3, 0, -1L).toBytes(), "kv_count"});
        c.put(
                "huge key length",
                new Object[] {
                    RawGguf.header(3, 0, 1).u64(1L << 62).bytes(new byte[16]).toBytes(),
                    "string length"
                });
        c.put(
                "key length beyond the file",
                new Object[] {
                    RawGguf.header(3, 0, 1).u64(1 << 20).bytes(new byte[16]).toBytes(), "left"
                });
        c.put(
                "huge string value",
                new Object[] {
                    RawGguf.header(3, 0, 1).str("k").u32(8).u64(1L << 40).toBytes(),
                    "exceeds the limit"
                });
        c.put(
                "huge array",
                new Object[] {
                    RawGguf.header(3, 0, 1).str("k").u32(9).u32(0).u64(1L << 40).toBytes(),
                    "array length"
                });
        c.put(
                "array beyond the file",
                new Object[] {
                    RawGguf.header(3, 0, 1).str("k").u32(9).u32(10).u64(1 << 22).u64(1).toBytes(),
                    "array length"
                });
        c.put(
                "array of huge strings",
                new Object[] {
                    RawGguf.header(3, 0, 1)
                            .str("k")
                            .u32(9)
                            .u32(8)
                            .u64(2)
                            .u64(1L << 50)
                            .bytes(new byte[16])
                            .toBytes(),
                    "string length"
                });
        c.put(
                "nested array",
                new Object[] {
                    RawGguf.header(3, 0, 1)
                            .str("k")
                            .u32(9)
                            .u32(9)
                            .u64(1)
                            .bytes(new byte[16])
                            .toBytes(),
                    "nested"
                });
        c.put(
                "unknown value type",
                new Object[] {
                    RawGguf.header(3, 0, 1).str("k").u32(13).u32(0).toBytes(), "value type 13"
                });
        c.put(
                "invalid UTF-8 key",
                new Object[] {
                    RawGguf.header(3, 0, 1)
                            .u64(2)
                            .bytes((byte) 0xc3, (byte) 0x28)
                            .u32(4)
                            .u32(1)
                            .toBytes(),
                    "UTF-8"
                });
        c.put(
                "duplicate key",
                new Object[] {
                    RawGguf.header(3, 0, 2).kvU32("a", 1).kvU32("a", 2).toBytes(), "appears twice"
                });
        c.put(
                "alignment of wrong type",
                new Object[] {
                    RawGguf.header(3, 0, 1).str("general.alignment").u32(10).u64(32).toBytes(),
                    "UINT32"
                });
        c.put(
                "alignment not a power of two",
                new Object[] {
                    RawGguf.header(3, 0, 1).kvU32("general.alignment", 48).toBytes(), "power of two"
                });
        c.put(
                "five dims",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {1, 1, 1, 1, 1}, f32, 0)
                            .data(32, 32)
                            .toBytes(),
                    "n_dims is 5"
                });
        c.put(
                "zero dims",
                new Object[] {
                    RawGguf.header(3, 1, 0).str("t").u32(0).u32(0).u64(0).data(32, 32).toBytes(),
                    "n_dims is 0"
                });
        c.put(
                "negative dim",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {-4}, f32, 0)
                            .data(32, 32)
                            .toBytes(),
                    "negative"
                });
        c.put(
                "element count overflow",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {1L << 32, 1L << 32}, f32, 0)
                            .data(32, 32)
                            .toBytes(),
                    "overflows"
                });
        c.put(
                "K-quant type",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {256}, 12, 0)
                            .data(32, 160)
                            .toBytes(),
                    "12 (Q4_K) is not supported"
                });
        c.put(
                "unknown type",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {4}, 1000, 0)
                            .data(32, 32)
                            .toBytes(),
                    "1000 (unknown)"
                });
        c.put(
                "partial block",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {16}, GgufType.Q8_0.id(), 0)
                            .data(32, 64)
                            .toBytes(),
                    "block size"
                });
        long mxfp4 = GgufType.MXFP4.id();
        c.put(
                "MXFP4 partial block",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {16}, mxfp4, 0)
                            .data(32, 32)
                            .toBytes(),
                    "MXFP4 block size 32"
                });
        // One MXFP4 block is 17 bytes, not the 16 of its nibbles: 34 bytes for 64 values.
        c.put(
                "MXFP4 bytes beyond the file",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {64}, mxfp4, 0)
                            .data(32, 32)
                            .toBytes(),
                    "outside the file"
                });
        c.put(
                "MXFP4 bytes overlapping the next tensor",
                new Object[] {
                    RawGguf.header(3, 2, 0)
                            .tensor("a", new long[] {64}, mxfp4, 0)
                            .tensor("b", new long[] {8}, f32, 32)
                            .data(32, 96)
                            .toBytes(),
                    "overlap"
                });
        c.put(
                "misaligned offset",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {4}, f32, 4)
                            .data(32, 64)
                            .toBytes(),
                    "alignment"
                });
        c.put(
                "offset outside the file",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {4}, f32, 1 << 20)
                            .data(32, 32)
                            .toBytes(),
                    "outside the file"
                });
        c.put(
                "size outside the file",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {1000}, f32, 0)
                            .data(32, 32)
                            .toBytes(),
                    "outside the file"
                });
        c.put(
                "huge offset",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("t", new long[] {8}, f32, -32L)
                            .data(32, 32)
                            .toBytes(),
                    "alignment"
                });
        c.put(
                "overlapping tensors",
                new Object[] {
                    RawGguf.header(3, 2, 0)
                            .tensor("a", new long[] {16}, f32, 0)
                            .tensor("b", new long[] {8}, f32, 32)
                            .data(32, 96)
                            .toBytes(),
                    "overlap"
                });
        c.put(
                "duplicate tensor names",
                new Object[] {
                    RawGguf.header(3, 2, 0)
                            .tensor("a", new long[] {8}, f32, 0)
                            .tensor("a", new long[] {8}, f32, 32)
                            .data(32, 64)
                            .toBytes(),
                    "appears twice"
                });
        c.put(
                "name too long",
                new Object[] {
                    RawGguf.header(3, 1, 0)
                            .tensor("n".repeat(64), new long[] {8}, f32, 0)
                            .data(32, 32)
                            .toBytes(),
                    "64 bytes"
                });
        return c;
    }
}
