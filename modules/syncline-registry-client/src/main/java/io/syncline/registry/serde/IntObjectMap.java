package io.syncline.registry.serde;

/**
 * A tiny copy-on-write int-keyed map: lock-free, allocation-free reads for the deserializer's per-schema-id cache
 * (ids are few and written once, records are many).
 */
final class IntObjectMap<V> {

    private static final class Table {
        final int[] keys;
        final Object[] values;
        final int size;

        Table(int capacity, int size) {
            keys = new int[capacity];
            values = new Object[capacity];
            this.size = size;
        }
    }

    private volatile Table table = new Table(16, 0);

    @SuppressWarnings("unchecked")
    V get(int key) {
        Table t = table;
        int mask = t.keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            Object v = t.values[i];
            if (v == null) {
                return null;
            }
            if (t.keys[i] == key) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    synchronized void put(int key, V value) {
        Table old = table;
        boolean replace = get(key) != null;
        int size = replace ? old.size : old.size + 1;
        int capacity = old.keys.length;
        while (size * 2 > capacity) {
            capacity <<= 1;
        }
        Table t = new Table(capacity, size);
        for (int j = 0; j < old.keys.length; j++) {
            if (old.values[j] != null && old.keys[j] != key) {
                insert(t, old.keys[j], old.values[j]);
            }
        }
        insert(t, key, value);
        table = t;
    }

    synchronized void clear() {
        table = new Table(16, 0);
    }

    private static void insert(Table t, int key, Object value) {
        int mask = t.keys.length - 1;
        int i = mix(key) & mask;
        while (t.values[i] != null) {
            i = (i + 1) & mask;
        }
        t.keys[i] = key;
        t.values[i] = value;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
