package io.vigil.bench;

import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Lucene's HNSW graph over the benchmark's rows, the reference the matcher's sketch index is compared with in
 * {@code vigil bench matcher --hnsw}. Not used by the matcher.
 */
final class HnswProbe {
    private final RandomAccessVectorValues.Floats vectors;
    private final OnHeapHnswGraph graph;
    private final int ef;
    final double buildSeconds;

    HnswProbe(List<float[]> rows, int maxConn, int beamWidth, int ef) {
        this.ef = ef;
        vectors = RandomAccessVectorValues.fromFloats(rows, rows.get(0).length);
        long t0 = System.nanoTime();
        try {
            graph = HnswGraphBuilder.create(
                            DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
                                    VectorSimilarityFunction.DOT_PRODUCT, vectors),
                            maxConn,
                            beamWidth,
                            42,
                            rows.size())
                    .build(rows.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buildSeconds = (System.nanoTime() - t0) / 1e9;
    }

    /** The row closest to {@code q} that the graph search finds, or -1. */
    int search(float[] q) {
        try {
            TopDocs top = HnswGraphSearcher.search(
                            DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
                                    VectorSimilarityFunction.DOT_PRODUCT, vectors, q),
                            ef,
                            graph,
                            null,
                            Integer.MAX_VALUE)
                    .topDocs();
            return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long graphBytes() {
        return graph.ramBytesUsed();
    }
}
