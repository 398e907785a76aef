package io.vigil.matcher.index;

/** The closest enrolled person to a face: their id and the cosine similarity of their closest embedding. */
public record Match(String personId, double similarity) {}
