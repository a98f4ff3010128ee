package org.licensim.core.state;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.zip.CRC32C;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapSegmentContext;
import org.licensim.core.LicensimException;

/**
 * A store's id maps: user id to dense index ({@code user-ids.cm}) and group index to id
 * ({@code group-ids.cm}). Each entry carries a CRC32C over the id and the index, so a flipped
 * byte in a key or a value, or an entry under the wrong key, is caught on lookup and by
 * {@link #verify}: Chronicle Map checks none of that itself.
 *
 * <p>User values are {@code index << 32 | crc}; group values are eight hex digits of the CRC
 * followed by the id. Ids are only ever added (at a commit), never changed or removed.
 *
 * <p>A user id that a lookup does not find is checked as a missing value is
 * ({@link StoreValues}): the first miss in a segment scans it, so that an id hidden by a damaged
 * key or index is an error naming the file, not an unknown user.
 */
final class IdMaps {
    private final Path userFile;
    private final Path groupFile;
    final ChronicleMap<CharSequence, Long> users;
    final ChronicleMap<Integer, CharSequence> groups;
    private final CRC32C crc = new CRC32C();
    private final BitSet checkedUserSegments = new BitSet();
    private boolean allChecked;

    IdMaps(Path userFile, ChronicleMap<CharSequence, Long> users, Path groupFile, ChronicleMap<Integer, CharSequence> groups) {
        this.userFile = userFile;
        this.users = users;
        this.groupFile = groupFile;
        this.groups = groups;
    }

    private int crc(int index, CharSequence id) {
        crc.reset();
        crc.update(index >>> 24);
        crc.update(index >>> 16);
        crc.update(index >>> 8);
        crc.update(index);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            crc.update(c >>> 8);
            crc.update(c);
        }
        return (int) crc.getValue();
    }

    void putUser(String id, int u) {
        users.put(id, ((long) u << 32) | (crc(u, id) & 0xFFFFFFFFL));
    }

    void putGroup(int g, String id) {
        groups.put(g, String.format("%08x", crc(g, id)) + id);
    }

    /** Every entry is this process's own (a store it created): a lookup that misses needs no scan. */
    void markChecked() {
        allChecked = true;
    }

    /** Index of user {@code id}, or -1; a damaged entry is refused naming the file. */
    int user(String id) {
        Long v = users.get(id);
        if (v == null) {
            checkUserMiss(id);
            return -1;
        }
        int u = (int) (v >>> 32);
        if ((int) v.longValue() != crc(u, id)) {
            throw damaged(userFile, "the entry of user id \"" + id + "\" fails its checksum");
        }
        return u;
    }

    /** Scans the segment a missed user id falls in, once: every entry's checksum, no entry with that id, the count. */
    private void checkUserMiss(String id) {
        if (allChecked) {
            return;
        }
        int segment;
        try (ExternalMapQueryContext<CharSequence, Long, ?> c = users.queryContext(id)) {
            segment = c.segmentIndex();
        } catch (RuntimeException | Error e) {
            throw damaged(userFile, "Chronicle Map cannot look up user id \"" + id + "\" (" + e.getClass().getSimpleName() + ")");
        }
        if (checkedUserSegments.get(segment)) {
            return;
        }
        long[] reached = {0};
        long counted;
        try (MapSegmentContext<CharSequence, Long, ?> c = users.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> {
                String k = e.key().get().toString();
                long v = e.value().get();
                if ((int) v != crc((int) (v >>> 32), k)) {
                    throw damaged(userFile, "an entry (user id \"" + k + "\") fails its checksum");
                }
                if (k.equals(id)) {
                    throw damaged(userFile, "user id \"" + id + "\" is in segment " + segment
                            + " but a lookup does not find it: the map's index is damaged");
                }
                reached[0]++;
            });
            counted = c.size();
        } catch (LicensimException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw damaged(userFile, "Chronicle Map cannot read segment " + segment + " (" + e.getClass().getSimpleName() + ")");
        }
        if (reached[0] != counted) {
            throw damaged(userFile, "segment " + segment + " counts " + counted + " user ids but " + reached[0]
                    + " are reachable");
        }
        checkedUserSegments.set(segment);
    }

    /** Id of group index {@code g}, or null; a damaged entry is refused naming the file. */
    String group(int g) {
        CharSequence v = groups.get(g);
        if (v == null) {
            return null;
        }
        String id = checkedGroupId(g, v);
        if (id == null) {
            throw damaged(groupFile, "the entry of group index " + g + " fails its checksum");
        }
        return id;
    }

    private String checkedGroupId(int g, CharSequence v) {
        if (v.length() < 8) {
            return null;
        }
        String id = v.subSequence(8, v.length()).toString();
        int want;
        try {
            want = (int) Long.parseLong(v.subSequence(0, 8).toString(), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        return want == crc(g, id) ? id : null;
    }

    /**
     * Checks every entry of both maps: checksum, index within the committed counts, no index
     * twice, every key found again by lookup, and exactly {@code userCount} and
     * {@code groupCount} entries. Chronicle Map failing to read its own file counts as damage too.
     */
    void verify(int userCount, int groupCount) {
        try {
            BitSet seen = new BitSet(userCount);
            long[] n = {0};
            users.forEachEntry(e -> {
                String id = e.key().get().toString();
                long v = e.value().get();
                int u = (int) (v >>> 32);
                if ((int) v != crc(u, id)) {
                    throw damaged(userFile, "an entry (user id \"" + id + "\") fails its checksum");
                }
                if (u < 0 || u >= userCount || seen.get(u)) {
                    throw damaged(userFile, "user index " + u + " is out of range or recorded twice");
                }
                seen.set(u);
                n[0]++;
            });
            if (n[0] != userCount) {
                throw damaged(userFile, n[0] + " user ids found, the last commit recorded " + userCount);
            }
        } catch (LicensimException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw damaged(userFile, "Chronicle Map cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        try {
            long[] n = {0};
            groups.forEachEntry(e -> {
                int g = e.key().get();
                if (g < 0 || g >= groupCount || checkedGroupId(g, e.value().get()) == null) {
                    throw damaged(groupFile, "the entry of group index " + g + " fails its checksum or is out of range");
                }
                n[0]++;
            });
            if (n[0] != groupCount) {
                throw damaged(groupFile, n[0] + " group ids found, the last commit recorded " + groupCount);
            }
            for (int g = 0; g < groupCount; g++) {
                if (group(g) == null) {
                    throw damaged(groupFile, "group index " + g + " is not found by lookup");
                }
            }
        } catch (LicensimException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw damaged(groupFile, "Chronicle Map cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** After a killed commit: drops ids recorded past the committed counts (they belong to no commit). */
    void pruneBeyond(int userCount, int groupCount) {
        if (users.longSize() > userCount) {
            users.entrySet().removeIf(e -> (int) (e.getValue() >>> 32) >= userCount);
        }
        if (groups.longSize() > groupCount) {
            groups.keySet().removeIf(g -> g >= groupCount);
        }
    }

    /** The fewer of the two maps' remaining automatic resizes (Chronicle's extra segment tiers). */
    int remainingAutoResizes() {
        return Math.min(users.remainingAutoResizes(), groups.remainingAutoResizes());
    }

    void close() {
        users.close();
        groups.close();
    }

    static StoreFailure damaged(Path file, String what) {
        return new StoreFailure(file + ": " + what + ": the store is damaged and cannot be trusted; rebuild it "
                + "from its snapshot and events");
    }
}
