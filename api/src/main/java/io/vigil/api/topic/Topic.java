package io.vigil.api.topic;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values: the one place a stage learns how to read or write it. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
