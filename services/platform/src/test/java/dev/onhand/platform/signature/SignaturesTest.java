package dev.onhand.platform.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {
  private static final byte[] BODY =
      "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsWithHmacSha256AsRfc4231Says() {
    // RFC 4231, test case 2
    assertThat(Signatures.header("Jefe", BODY))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void verifiesOnlyTheSameBodyUnderTheSameSecret() {
    String header = Signatures.header("Jefe", BODY);
    assertThat(Signatures.verify("Jefe", BODY, header)).isTrue();
    assertThat(Signatures.verify("jefe", BODY, header)).isFalse();
    assertThat(Signatures.verify("Jefe", "what do ya want for nothing!".getBytes(), header))
        .isFalse();
    assertThat(Signatures.verify("Jefe", BODY, header.substring("sha256=".length()))).isFalse();
    assertThat(Signatures.verify("Jefe", BODY, null)).isFalse();
  }
}
