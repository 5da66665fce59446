package io.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.syncline.console.view.Model;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {

    @Test
    void onlyTheRealChangeShowsWhateverTheFormatting() {
        String v1 = "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
        String v2 = """
                {"type": "record", "name": "P", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "note", "type": ["null", "string"], "default": null}]}""";
        List<Model.DiffLine> lines = SchemaDiff.lines(v1, v2);
        assertThat(lines).filteredOn(l -> l.kind().equals("removed")).isEmpty();
        assertThat(lines).filteredOn(l -> l.kind().equals("added")).extracting(Model.DiffLine::text)
                .containsExactly("  }, {", "    \"name\" : \"note\",", "    \"type\" : [ \"null\", \"string\" ],",
                        "    \"default\" : null");
        assertThat(lines).filteredOn(l -> l.kind().equals("added")).extracting(Model.DiffLine::newNumber)
                .containsExactly("7", "8", "9", "10");
        assertThat(lines.get(0)).isEqualTo(new Model.DiffLine("same", "1", "1", "{"));
        Model.DiffLine last = lines.get(lines.size() - 1);
        assertThat(last.kind()).isEqualTo("same");
        assertThat(last.text()).isEqualTo("}");
    }

    @Test
    void identicalVersionsHaveNoChange() {
        String v = "{\"type\":\"string\"}";
        assertThat(SchemaDiff.lines(v, v)).allMatch(l -> l.kind().equals("same"));
    }
}
