package dev.onhand.gateway.auth;

import java.util.Set;

/** An authenticated API key: its name (the actor upstream), its scopes and its rate limit. */
public record Caller(String name, Set<String> scopes, TokenBucket bucket) {
  public static final String ADMIN = "admin";

  public boolean may(String scope) {
    return scopes.contains(ADMIN) || scopes.contains(scope);
  }
}
