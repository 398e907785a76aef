package io.vigil.inference.track;

/**
 * What inference examines and embeds.
 *
 * @param motion      detect only where a frame's motion grid says something moved (plus the margin), except in
 *                    full-pass frames; off = examine every frame whole
 * @param marginCells motion grid cells added around moved cells
 * @param tracking    follow faces across frames and embed a face when its track starts and for better views only;
 *                    off = embed every face in every frame
 * @param tracker     when tracks end
 */
public record TrackingSettings(boolean motion, int marginCells, boolean tracking, FaceTracker.Settings tracker) {}
