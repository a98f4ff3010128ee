package org.licensim.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A snapshot's groups array read on two threads, for a {@link SnapshotReader.Session} whose
 * users are read: the session's reader parses the groups and their member ids, a second thread
 * looks the ids up among the users in chunks while the next chunk is parsed. The session's
 * {@code readGroup} and {@code memberIds} hand their members here while it is active. Its own
 * room so that the one-thread reader stays readable beside it.
 */
final class PipelinedGroups {
    private final SnapshotReader.Session s;

    PipelinedGroups(SnapshotReader.Session s) {
        this.s = s;
    }

    /** Member ids per chunk handed to the other thread by {@link #read}. */
    static final int MEMBER_CHUNK = 4096;
    /** The member lookups' hand-off while {@link #read} runs; null otherwise. */
    private Pipeline<MemberIds> memberPipe;
    /** Whether the group being read had its members array already (pipelined: they are handed off as read). */
    private boolean groupHadMembers;

    /**
     * The groups array read on two threads, once the users are read: this one parses the
     * groups and their member ids, a second looks the ids up among the users in chunks and
     * lists the users found, in the order read, while the next chunk is parsed. An id that
     * is not a user's is handled on this thread as {@link SnapshotReader.Session#readGroup} handles it (a group
     * read up to then becomes a nested member; otherwise it waits for the end), in order.
     * Chunks are handed off as their ids are read, before the group is checked: at any
     * problem in the groups it gives up with {@link SnapshotReader.Retry}, and the file is read again on
     * one thread.
     */
    void read(JsonParser p) throws IOException {
        List<MemberIds> chunks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chunks.add(new MemberIds());
        }
        memberPipe = new Pipeline<>("licensim-read-members", chunks, this::lookUpChunk, this::chunkBack);
        MemberIds kept = s.members;
        boolean done = false;
        try {
            s.members = memberPipe.next();
            s.eachElement(p, (q, index) -> {
                s.readGroup(q, index);
                if (s.problems.any()) {
                    throw SnapshotReader.Retry.INSTANCE;
                }
            });
            if (s.problems.any()) {
                throw SnapshotReader.Retry.INSTANCE;
            }
            memberPipe.finish(s.members);
            done = true;
        } catch (JsonProcessingException e) {
            throw SnapshotReader.Retry.INSTANCE;
        } finally {
            if (!done) {
                memberPipe.abandon();
            }
            memberPipe = null;
            s.members = kept;
        }
    }

    /** The other thread's own: the list it last grew, and the room it made there (chunks come group by group). */
    private org.eclipse.collections.impl.list.mutable.primitive.IntArrayList grownList;
    private int reserved;

    /**
     * When this thread looks up the ids of the chunk it hands off itself (the other thread then
     * only lists the users found): {@link #HELP_WHEN_WAITING}, when no empty chunk is left for it
     * to fill (it would wait for the other thread: where the lookups are the slower half, with
     * short ids and many members, the parser runs ahead), so that it works instead of waiting. A
     * lookup's result does not depend on the thread, and the lists are still made in order by the
     * other thread. Tests set {@link #HELP_ALWAYS} or {@link #HELP_NEVER}.
     */
    int help = HELP_WHEN_WAITING;
    static final int HELP_WHEN_WAITING = 0;
    static final int HELP_ALWAYS = 1;
    static final int HELP_NEVER = 2;
    /** Each thread's own scratch for the lookups (they may look up at once). */
    private final org.licensim.core.directory.Users.Lookups ownLookups = new org.licensim.core.directory.Users.Lookups();
    private final org.licensim.core.directory.Users.Lookups otherLookups = new org.licensim.core.directory.Users.Lookups();

    /** The chunk's ids looked up among the users into its {@code found}, with the calling thread's scratch. */
    private void lookUp(MemberIds m, org.licensim.core.directory.Users.Lookups scratch) {
        int n = m.count;
        if (m.found.length < n) {
            m.found = new int[Math.max(n, MEMBER_CHUNK)];
        }
        s.dir.users().indexesOf(m.chars, m.starts, m.lengths, n, m.found, scratch);
    }

    /** The other thread's part: the chunk's ids looked up among the users (unless done), the users found listed. */
    private boolean lookUpChunk(MemberIds m) {
        int n = m.count;
        if (!m.lookedUp) {
            lookUp(m, otherLookups);
        }
        var list = m.list;
        if (list != grownList) {
            grownList = list;
            reserved = 0;
        }
        int need = list.size() + n;
        if (need > reserved) {
            // doubling from the first chunk's size: a group of 100k members grew from 10 by half each time,
            // three times its size in arrays made (and first touched) on this thread, the groups' slower one
            reserved = Math.max(need, 2 * reserved);
            list.ensureCapacity(reserved);
        }
        for (int i = 0; i < n; i++) {
            int u = m.found[i];
            if (u >= 0) {
                list.add(u);
            } else {
                m.missing = true;
            }
        }
        return true;
    }

    /**
     * A chunk back from the other thread (in the order handed off): its ids that are no
     * user's, as {@link SnapshotReader.Session#addMember} takes them when the group is read (only groups read up
     * to the chunk's own are known then), or pending.
     */
    private void chunkBack(MemberIds m) {
        if (m.missing) {
            for (int i = 0; i < m.count; i++) {
                if (m.found[i] < 0) {
                    String member = m.id(i);
                    int other = s.dir.groups().indexOf(member);
                    if (other >= 0 && other <= m.group) {
                        s.dir.addNestedGroup(m.group, other);
                    } else {
                        s.pendingGroup.add(m.group);
                        s.pendingMember.add(member);
                        s.pendingWhere.add(new Problems.Where(m.lines[i], m.columns[i],
                                "$.groups[" + m.element + "].members[" + (m.base + i) + "]"));
                    }
                }
            }
        }
        m.clear();
    }

    /** The chunk being filled is full: handed off, an empty one takes its place for the same group. */
    private void nextChunk() throws IOException {
        MemberIds full = s.members;
        if (help == HELP_ALWAYS || help == HELP_WHEN_WAITING && !memberPipe.emptyBlockReady()) {
            lookUp(full, ownLookups);
            full.lookedUp = true;
            s.reader().chunksLookedUpByParser.incrementAndGet();
        }
        memberPipe.handOff(full);
        MemberIds m = memberPipe.next();
        m.group = full.group;
        m.list = full.list;
        m.element = full.element;
        m.base = full.base + full.count;
        s.members = m;
    }

    /** {@link SnapshotReader.Session#memberIds} when the lookups are on the other thread: full chunks handed off as they fill. */
    private void readMemberChunks(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            s.problems.at(p, "expected an array of member ids, found " + JsonFields.describe(p));
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                if (s.members.count == MEMBER_CHUNK) {
                    nextChunk();
                }
                int line;
                int column;
                if (p.getClass() == com.fasterxml.jackson.core.json.UTF8StreamJsonParser.class) {
                    // the token's position without a JsonLocation per member; the same line and
                    // column (this parser's token column number is one past its location's)
                    var q = (com.fasterxml.jackson.core.json.UTF8StreamJsonParser) p;
                    line = q.getTokenLineNr();
                    column = q.getTokenColumnNr() - 1;
                } else {
                    com.fasterxml.jackson.core.JsonLocation at = p.currentTokenLocation();
                    line = at.getLineNr();
                    column = at.getColumnNr();
                }
                s.members.add(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), line, column);
            } else {
                s.problems.at(p, "expected a member id (string), found " + JsonFields.describe(p));
                p.skipChildren();
            }
        }
    }

    /** A group begins: its member chunks go to the index it gets when added ({@link #added}). */
    void startGroup(int index) {
        // the chunks of this group's members go to the index it gets when added (checked in {@link #added}),
        // into a list made here: the other thread never touches the array of lists (nor grows it)
        int g = s.dir.groups().size();
        if (g >= s.listed.length) {
            s.listed = java.util.Arrays.copyOf(s.listed, Math.max(g + 1, s.listed.length * 2));
        }
        s.listed[g] = new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
        s.members.list = s.listed[g];
        s.members.group = g;
        s.members.element = index;
        s.members.base = 0;
        groupHadMembers = false;
    }

    /** The group was added at {@code g}: its last chunk handed off; a group that did not get the index expected, or any problem, gives up. */
    void added(int g) throws IOException {
        if (g != s.members.group || s.problems.any()) {
            throw SnapshotReader.Retry.INSTANCE;
        }
        if (s.members.count > 0) {
            nextChunk();
        }
    }

    /** A members array: full chunks handed off as they fill; a second array for the same group gives up. */
    void memberIds(JsonParser p) throws IOException {
        if (groupHadMembers) {
            throw SnapshotReader.Retry.INSTANCE; // a second members array replaces the first, whose chunks are gone
        }
        groupHadMembers = true;
        readMemberChunks(p);
    }
}
