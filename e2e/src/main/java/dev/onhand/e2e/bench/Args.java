package dev.onhand.e2e.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options, with defaults. */
final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  static Args parse(String[] argv) {
    Args args = new Args();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.startsWith("--")) {
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        args.values.put(a.substring(2), argv[++i]);
      } else {
        args.positional.add(a);
      }
    }
    return args;
  }

  String positional(int index, String otherwise) {
    return index < positional.size() ? positional.get(index) : otherwise;
  }

  String string(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing option --" + name);
    }
    return value;
  }

  int integer(String name, int otherwise) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
  }

  long longValue(String name, long otherwise) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : otherwise;
  }

  double decimal(String name, double otherwise) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : otherwise;
  }

  List<Integer> ports(String name) {
    List<Integer> ports = new ArrayList<>();
    for (String p : required(name).split(",")) {
      ports.add(Integer.parseInt(p.trim()));
    }
    return ports;
  }
}
