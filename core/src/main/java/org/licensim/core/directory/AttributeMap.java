package org.licensim.core.directory;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The properties of a {@link UserData}: a map in insertion order, as {@link java.util.LinkedHashMap}
 * keeps it (a key put again keeps its place; removed and put, it goes last), held in two arrays
 * instead of an entry object per property.
 *
 * <p>Why: a simulation's day 0 makes a million UserData on one thread for the engine on the
 * other, and a linked map is an entry object of 40 bytes per property besides its table: about
 * 300 bytes a hire more than two arrays (simulate enterprise's peak: 2.40 GB instead of 2.71). The
 * engine's first walk of a hire still waits for memory made on the other core (JFR: 7.5% of its
 * thread here, 9.6% in {@code LinkedHashMap.forEach}), so the gain is memory, not time. A reader
 * that reuses one UserData keeps the arrays from user to user.
 *
 * <p>Up to {@link #INDEXED} properties a key is found by looking through the names (the same
 * String objects, mostly: compared by identity before {@code equals}); beyond that, through a
 * hash index made then. Null keys and values are kept as a LinkedHashMap keeps them.
 */
public final class AttributeMap<V> extends AbstractMap<String, V> {
    /** Properties at most found by a look through the names. */
    static final int INDEXED = 16;

    private String[] keys = new String[4];
    private Object[] values = new Object[4];
    private int size;
    /** Changes that add or remove a key, for the iterators' check. */
    private int modCount;
    /** Position of each key, once there are more than {@link #INDEXED}; null before. */
    private HashMap<String, Integer> index;

    private int find(Object key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        String[] k = keys;
        for (int i = 0, n = size; i < n; i++) {
            if (k[i] == key || (k[i] != null && k[i].equals(key))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = find(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(String key, V value) {
        int i = find(key);
        if (i >= 0) {
            V was = (V) values[i];
            values[i] = value;
            return was;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        modCount++;
        if (index != null) {
            index.put(key, size - 1);
        } else if (size > INDEXED) {
            reindex();
        }
        return null;
    }

    private void reindex() {
        index = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            index.put(keys[i], i);
        }
    }

    @Override
    public V remove(Object key) {
        int i = find(key);
        return i < 0 ? null : removeAt(i);
    }

    @SuppressWarnings("unchecked")
    private V removeAt(int i) {
        V was = (V) values[i];
        int after = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, after);
        System.arraycopy(values, i + 1, values, i, after);
        size--;
        keys[size] = null;
        values[size] = null;
        modCount++;
        if (index != null) {
            if (size > INDEXED) {
                reindex();
            } else {
                index = null;
            }
        }
        return was;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        if (size > 0) {
            modCount++;
        }
        size = 0;
        index = null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super String, ? super V> action) {
        Objects.requireNonNull(action);
        int mc = modCount;
        String[] k = keys;
        Object[] v = values;
        for (int i = 0, n = size; i < n; i++) {
            action.accept(k[i], (V) v[i]);
        }
        if (modCount != mc) {
            throw new ConcurrentModificationException();
        }
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;
                    private int expected = modCount;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, V> next() {
                        if (modCount != expected) {
                            throw new ConcurrentModificationException();
                        }
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        return new Entry(keys[last], last);
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        if (modCount != expected) {
                            throw new ConcurrentModificationException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                        expected = modCount;
                    }
                };
            }
        };
    }

    /**
     * An entry that reads and writes through the map, as a LinkedHashMap's does: at its place
     * while no key was added or removed, else found again by its key.
     */
    private final class Entry implements Map.Entry<String, V> {
        private final String key;
        private final int at;
        private final int mc;

        Entry(String key, int at) {
            this.key = key;
            this.at = at;
            this.mc = modCount;
        }

        private int place() {
            return modCount == mc ? at : find(key);
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V getValue() {
            int i = place();
            return i < 0 ? null : (V) values[i];
        }

        @Override
        @SuppressWarnings("unchecked")
        public V setValue(V value) {
            int i = place();
            if (i < 0) {
                throw new IllegalStateException("the entry of \"" + key + "\" was removed");
            }
            V was = (V) values[i];
            values[i] = value;
            return was;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
