package io.syncline.console;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import io.syncline.console.view.Model;

/** A line diff of two schema versions, both pretty-printed the same way so only real changes show. */
final class SchemaDiff {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaDiff() {
    }

    /** The schema text pretty-printed (as registered when it is not JSON). */
    static String pretty(String schema) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(schema));
        } catch (JsonProcessingException e) {
            return schema;
        }
    }

    /** Every line of both versions, marked same, added or removed, in order. */
    static List<Model.DiffLine> lines(String older, String newer) {
        List<String> a = pretty(older).lines().toList();
        List<String> b = pretty(newer).lines().toList();
        Patch<String> patch = DiffUtils.diff(a, b);
        List<Model.DiffLine> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (AbstractDelta<String> d : patch.getDeltas()) {
            int at = d.getSource().getPosition();
            while (i < at) {
                out.add(new Model.DiffLine("same", String.valueOf(i + 1), String.valueOf(j + 1), a.get(i)));
                i++;
                j++;
            }
            for (String line : d.getSource().getLines()) {
                out.add(new Model.DiffLine("removed", String.valueOf(++i), "", line));
            }
            for (String line : d.getTarget().getLines()) {
                out.add(new Model.DiffLine("added", "", String.valueOf(++j), line));
            }
        }
        while (i < a.size()) {
            out.add(new Model.DiffLine("same", String.valueOf(i + 1), String.valueOf(j + 1), a.get(i)));
            i++;
            j++;
        }
        return out;
    }
}
