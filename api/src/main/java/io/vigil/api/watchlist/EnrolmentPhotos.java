package io.vigil.api.watchlist;

import io.vigil.api.Ids;

import java.util.List;

/**
 * The photos a person was enrolled from, kept so that the watchlist can be embedded again when the embedder changes
 * ({@code vigil watchlist reenrol}): the value on the compacted {@code enrolment-photos} topic (key = person id; a
 * tombstone, written when the person is removed, erases them). Each photo is the face with a margin around it as a
 * small JPEG, not the whole picture: enough to find and embed the face again, and no more of the person's
 * surroundings than that.
 *
 * @param personId the person
 * @param photos   one JPEG per enrolled embedding, in the same order
 * @param keptAtMs when they were kept, epoch milliseconds
 */
public record EnrolmentPhotos(String personId, List<byte[]> photos, long keptAtMs) {
    /** Largest photo kept; a face crop of at most 400 pixels a side is a few tens of kilobytes. */
    public static final int MAX_PHOTO_BYTES = 256 * 1024;

    public EnrolmentPhotos {
        Ids.require("person id", personId);
        if (photos == null || photos.isEmpty() || photos.size() > WatchlistEntry.MAX_EMBEDDINGS) {
            throw new IllegalArgumentException("person '" + personId + "' has "
                    + (photos == null ? 0 : photos.size()) + " enrolment photos; expected 1 to "
                    + WatchlistEntry.MAX_EMBEDDINGS);
        }
        for (byte[] p : photos) {
            if (p == null
                    || p.length < 4
                    || p.length > MAX_PHOTO_BYTES
                    || (p[0] & 0xff) != 0xff
                    || (p[1] & 0xff) != 0xd8) {
                throw new IllegalArgumentException("person '" + personId
                        + "' has an enrolment photo that is not a JPEG of at most " + MAX_PHOTO_BYTES + " bytes");
            }
        }
        photos = List.copyOf(photos);
    }
}
