package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

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
        long[] chunk = chunkSizes(rows, queries, kt.getShape().get(2), sliceSize, budgetBytes);
        if (chunk[0] == rows && chunk[1] == queries) {
            return attendAll(q, kt, v);
        }
        NDList byRows = new NDList();
        for (long row = 0; row < rows; row += chunk[0]) {
            long rowEnd = Math.min(rows, row + chunk[0]);
            NDIndex rowRange = new NDIndex("{}:{}", row, rowEnd);
            NDArray ktRows = kt.get(rowRange);
            NDArray vRows = v.get(rowRange);
            NDList byQueries = new NDList();
            for (long query = 0; query < queries; query += chunk[1]) {
                NDArray qChunk = q.get(new NDIndex("{}:{}, {}:{}", row, rowEnd, query,
                        Math.min(queries, query + chunk[1])));
                byQueries.add(attendAll(qChunk, ktRows, vRows));
                qChunk.close();
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
}
