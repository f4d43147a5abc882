package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The core of scaled dot-product attention, {@code softmax(q k^T) v} over heads folded into the batch
 * ({@code q [rows, queries, d]}, {@code kt [rows, d, keys]}, {@code v [rows, keys, d]}; the scale is
 * already in {@code q}), computed in chunks whose score maps hold at most {@link #SCORE_CHUNK_BYTES}.
 *
 * <p>Each query row's result depends only on its own scores, so chunking changes no value. It keeps the
 * maps in the allocator's heap: glibc maps every allocation above its mmap threshold (at most 32 MiB)
 * afresh, and the kernel then faults in and zeroes each page on every call. Unchunked, one SD 1.5
 * self-attention map at 512x512 is [16, 4096, 4096] floats, 1 GiB; chunked, attention runs about twice
 * as fast there.
 */
public final class AttentionCore {
    /** The largest score map computed at once. */
    public static final long SCORE_CHUNK_BYTES = 16L << 20;
    /**
     * Chunks of at least this many queries over at least this many keys run their two products as 1x1
     * convolutions, one head at a time (oneDNN; 1.3-1.8x faster than the engine's batched BLAS product
     * there, slower on smaller ones: HeadProductBench).
     */
    static final long CONVOLUTION_MIN_QUERIES = 1024;
    static final long CONVOLUTION_MIN_KEYS = 1024;
    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private AttentionCore() {
    }

    /**
     * {@code softmax(q kt) v} in chunks of {@link #SCORE_CHUNK_BYTES}.
     *
     * @param sliceSize batch-head rows per chunk as the caller asked (0: as many as fit the budget)
     * @return {@code [rows, queries, d]}, in the manager of {@code q}
     */
    public static NDArray attend(NDArray q, NDArray kt, NDArray v, int sliceSize) {
        return attend(q, kt, v, sliceSize, SCORE_CHUNK_BYTES);
    }

    /** {@link #attend(NDArray, NDArray, NDArray, int)} with score maps of at most {@code budgetBytes}. */
    static NDArray attend(NDArray q, NDArray kt, NDArray v, int sliceSize, long budgetBytes) {
        long rows = q.getShape().get(0);
        long queries = q.getShape().get(1);
        long keys = kt.getShape().get(2);
        long[] chunk = chunkSizes(rows, queries, keys, sliceSize, budgetBytes);
        if (chunk[0] == rows && chunk[1] == queries) {
            return attendAll(q, kt, v);
        }
        boolean byConvolution = chunk[1] >= CONVOLUTION_MIN_QUERIES && keys >= CONVOLUTION_MIN_KEYS;
        long rowStep = byConvolution ? 1 : chunk[0];
        NDList byRows = new NDList();
        for (long row = 0; row < rows; row += rowStep) {
            long rowEnd = Math.min(rows, row + rowStep);
            NDIndex rowRange = new NDIndex("{}:{}", row, rowEnd);
            NDArray ktRows = kt.get(rowRange);
            NDArray vRows = v.get(rowRange);
            HeadKernels kernels = byConvolution ? new HeadKernels(ktRows, vRows) : null;
            NDList byQueries = new NDList();
            for (long query = 0; query < queries; query += chunk[1]) {
                NDArray qChunk = q.get(new NDIndex("{}:{}, {}:{}", row, rowEnd, query,
                        Math.min(queries, query + chunk[1])));
                byQueries.add(byConvolution ? kernels.attend(qChunk) : attendAll(qChunk, ktRows, vRows));
                qChunk.close();
            }
            if (kernels != null) {
                kernels.close();
            }
            ktRows.close();
            vRows.close();
            byRows.add(concat(byQueries, 1));
        }
        return concat(byRows, 0);
    }

    /**
     * {@code {batch-head rows, query rows}} per chunk of a {@code rows x queries x keys} score map:
     * {@code sliceSize} batch-head rows if given, else as many as fit {@code budgetBytes} with as many query
     * rows as fit for one of them; then as many query rows as fit with those batch-head rows (at least one).
     */
    static long[] chunkSizes(long rows, long queries, long keys, int sliceSize, long budgetBytes) {
        long queryBytes = keys * Float.BYTES;
        long rowChunk;
        if (sliceSize > 0) {
            rowChunk = Math.min(rows, sliceSize);
        } else {
            long oneRowBytes = Math.min(queries, Math.max(1, budgetBytes / queryBytes)) * queryBytes;
            rowChunk = Math.max(1, Math.min(rows, budgetBytes / oneRowBytes));
        }
        long queryChunk = Math.max(1, Math.min(queries, budgetBytes / (rowChunk * queryBytes)));
        return new long[] {rowChunk, queryChunk};
    }

    /** Joins chunk results and frees them. */
    private static NDArray concat(NDList chunks, int axis) {
        if (chunks.size() == 1) {
            return chunks.head();
        }
        NDArray out = NDArrays.concat(chunks, axis);
        chunks.close();
        return out;
    }

    /** One chunk, its score map freed as soon as it is used. */
    static NDArray attendAll(NDArray q, NDArray kt, NDArray v) {
        NDArray scores = q.matMul(kt);
        NDArray probs = scores.softmax(-1);
        scores.close();
        NDArray out = probs.matMul(v);
        probs.close();
        return out;
    }

    /**
     * One head's keys and values as 1x1 convolution kernels: the scores of a query chunk
     * {@code [c, d]} are the convolution of its channels-last view {@code [1, d, c, 1]} with the keys
     * {@code [keys, d, 1, 1]}, and the output the convolution of the probabilities' channels-last view
     * {@code [1, keys, c, 1]} with the transposed values {@code [d, keys, 1, 1]}; all views, no copies
     * but the transposed values, once per head.
     */
    private static final class HeadKernels implements AutoCloseable {
        private final NDArray keys;
        private final NDArray values;

        /** From {@code kt [1, d, keys]} and {@code v [1, keys, d]} of one batch-head row. */
        HeadKernels(NDArray kt, NDArray v) {
            long d = kt.getShape().get(1);
            long m = kt.getShape().get(2);
            NDArray k = kt.transpose(0, 2, 1);
            keys = k.reshape(m, d, 1, 1);
            k.close();
            NDArray vt = v.transpose(0, 2, 1);
            values = vt.reshape(d, m, 1, 1);
            vt.close();
        }

        /** {@code softmax(q k^T) v} for {@code q [1, c, d]}; returns {@code [1, c, d]}. */
        NDArray attend(NDArray q) {
            long c = q.getShape().get(1);
            long d = q.getShape().get(2);
            long m = keys.getShape().get(0);
            NDArray queryRows = q.reshape(1, c, 1, d);
            NDArray scores = convolve(queryRows, keys);
            queryRows.close();
            NDArray probs = scores.softmax(-1);
            scores.close();
            NDArray out = convolve(probs, values);
            probs.close();
            NDArray result = out.reshape(1, c, d);
            out.close();
            return result;
        }

        /**
         * {@code rows [1, c, 1, in]} (contiguous) through the kernel {@code [out, in, 1, 1]}; returns
         * {@code [1, c, 1, out]}, contiguous. The channels-last views in between are closed at once.
         */
        private static NDArray convolve(NDArray rows, NDArray kernel) {
            NDArray image = rows.transpose(0, 3, 1, 2);
            NDArray convolved = image.getNDArrayInternal()
                    .convolution(image, kernel, null, UNIT, NO_PADDING, UNIT, 1).singletonOrThrow();
            image.close();
            NDArray out = convolved.transpose(0, 2, 3, 1);
            convolved.close();
            return out;
        }

        @Override
        public void close() {
            keys.close();
            values.close();
        }
    }
}
