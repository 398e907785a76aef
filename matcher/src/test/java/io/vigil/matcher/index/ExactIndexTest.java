package io.vigil.matcher.index;

import io.vigil.matcher.Vectors;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExactIndexTest {
    private final Random r = new Random(1);

    @Test
    void findsThePersonWithTheClosestEmbeddingAndScoresThemByTheirBest() {
        ExactIndex index = new ExactIndex();
        float[] a = Vectors.random(512, r);
        float[] b = Vectors.random(512, r);
        index.upsert("alice", new float[][]{Vectors.random(512, r), a});
        index.upsert("bob", new float[][]{b});
        Match m = index.search(Vectors.withSimilarity(a, 0.8, r));
        assertThat(m.personId()).isEqualTo("alice");
        assertThat(m.similarity()).isCloseTo(0.8, within(1e-4));
        assertThat(index.search(b).personId()).isEqualTo("bob");
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void removesAndReplaces() {
        ExactIndex index = new ExactIndex();
        float[] a = Vectors.random(8, r);
        index.upsert("alice", new float[][]{a});
        index.remove("alice");
        assertThat(index.search(a)).isNull();
        float[] a2 = Vectors.random(8, r);
        index.upsert("alice", new float[][]{a});
        index.upsert("alice", new float[][]{a2});
        assertThat(index.search(a2).similarity()).isCloseTo(1, within(1e-5));
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void refusesMixedDimensions() {
        ExactIndex index = new ExactIndex();
        index.upsert("a", new float[][]{Vectors.random(8, r)});
        index.upsert("b", new float[][]{Vectors.random(8, r)});
        assertThatThrownBy(() -> index.upsert("c", new float[][]{Vectors.random(4, r)}))
                .hasMessageContaining("4-d").hasMessageContaining("8-d");
        assertThatThrownBy(() -> index.search(new float[4])).hasMessageContaining("dimensions");
    }

    @Test
    void dotMatchesTheNaiveSumForOddDimensions() {
        float[] x = Vectors.random(13, r);
        float[] y = Vectors.random(13, r);
        double naive = 0;
        for (int i = 0; i < 13; i++) {
            naive += x[i] * y[i];
        }
        assertThat((double) ExactIndex.dot(x, 0, y, 13)).isCloseTo(naive, within(1e-5));
    }
}
