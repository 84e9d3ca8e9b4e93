{{/*
Names. Every object of a service is <release>-<service> (the gateway's upstream URLs rely on it);
the prefix is cut so that the longest name (…-channel-sync) stays a valid DNS label.
*/}}
{{- define "onhand.prefix" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* <prefix>-<component>; call with (dict "root" $ "component" "stock") */}}
{{- define "onhand.componentName" -}}
{{- printf "%s-%s" (include "onhand.prefix" .root) .component -}}
{{- end -}}

{{- define "onhand.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels on every object; call with (dict "root" $ "component" "stock" "extra" $svc.labels).
Extra labels (global.labels, then the service's) never replace the chart's own. */}}
{{- define "onhand.labels" -}}
{{- $own := dict
  "app.kubernetes.io/name" .root.Chart.Name
  "app.kubernetes.io/instance" .root.Release.Name
  "app.kubernetes.io/component" .component
  "app.kubernetes.io/part-of" "onhand"
  "app.kubernetes.io/version" .root.Chart.AppVersion
  "app.kubernetes.io/managed-by" .root.Release.Service
  "helm.sh/chart" (printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_") -}}
{{- toYaml (merge $own (default dict .extra) (default dict .root.Values.global.labels)) -}}
{{- end -}}

{{/* "annotations:" under metadata (indented 2, global + extra), or nothing; call with
(dict "root" $ "extra" map) right after the labels, without nindent. */}}
{{- define "onhand.annotations" -}}
{{- $annotations := merge dict (default dict .extra) (default dict .root.Values.global.annotations) -}}
{{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
{{- end }}
{{- end -}}

{{/* image reference; call with (dict "root" $ "image" $svc.image) */}}
{{- define "onhand.image" -}}
{{- $tag := default .root.Chart.AppVersion .image.tag -}}
{{- $registry := .root.Values.global.imageRegistry -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* the workloads that hold a database and a broker connection: every service but the gateway */}}
{{- define "onhand.isBackend" -}}
{{- if hasKey .svc "database" }}true{{ end -}}
{{- end -}}

{{/* names of the enabled backend services, comma separated */}}
{{- define "onhand.enabledBackends" -}}
{{- $names := list -}}
{{- range $name, $svc := .Values.services -}}
{{- if and $svc.enabled (hasKey $svc "database") -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{/* whether leader election (a Lease) runs in this service; call with (dict "svc" $svc) */}}
{{- define "onhand.leaderElection" -}}
{{- if and (hasKey .svc "leaderElection") .svc.leaderElection.enabled }}true{{ end -}}
{{- end -}}

{{- define "onhand.postgresql.host" -}}
{{- if .Values.postgresql.bundled.enabled -}}
{{- include "onhand.componentName" (dict "root" . "component" "postgresql") -}}
{{- else -}}
{{- .Values.postgresql.host -}}
{{- end -}}
{{- end -}}

{{- define "onhand.postgresql.port" -}}
{{- if .Values.postgresql.bundled.enabled }}5432{{ else }}{{ .Values.postgresql.port }}{{ end -}}
{{- end -}}

{{- define "onhand.postgresql.secretName" -}}
{{- default (include "onhand.componentName" (dict "root" . "component" "postgresql-auth")) .Values.postgresql.auth.existingSecret -}}
{{- end -}}

{{- define "onhand.rabbitmq.host" -}}
{{- if .Values.rabbitmq.bundled.enabled -}}
{{- include "onhand.componentName" (dict "root" . "component" "rabbitmq") -}}
{{- else -}}
{{- .Values.rabbitmq.host -}}
{{- end -}}
{{- end -}}

{{- define "onhand.rabbitmq.port" -}}
{{- if .Values.rabbitmq.bundled.enabled }}5672{{ else }}{{ .Values.rabbitmq.port }}{{ end -}}
{{- end -}}

{{- define "onhand.rabbitmq.secretName" -}}
{{- default (include "onhand.componentName" (dict "root" . "component" "rabbitmq-auth")) .Values.rabbitmq.auth.existingSecret -}}
{{- end -}}

{{/* The hardened container securityContext every container gets. */}}
{{- define "onhand.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
{{- end -}}

{{/* The pod securityContext; call with (dict "user" uid "group" gid "fsGroup" gid) */}}
{{- define "onhand.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .user }}
runAsGroup: {{ .group }}
fsGroup: {{ .fsGroup }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The settings of one service, as its ConfigMap's data (the checksum annotation of its pods is
taken over the same text, so a changed setting rolls the pods). Call with
(dict "root" $ "name" "stock" "svc" $svc).
*/}}
{{- define "onhand.configData" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
ONHAND_HTTP_PORT: "8080"
QUARKUS_PROFILE: {{ $v.global.profile | quote }}
QUARKUS_SHUTDOWN_TIMEOUT: {{ printf "%ds" (int $v.gracefulShutdown.shutdownTimeoutSeconds) | quote }}
JAVA_TOOL_OPTIONS: {{ trim (printf "-XX:MaxRAMPercentage=%v %s" .svc.jvm.maxRAMPercentage .svc.jvm.options) | quote }}
ONHAND_JSON_LOGS: {{ $v.global.jsonLogs | toString | quote }}
ONHAND_OTEL_EXPORTER: {{ $v.global.tracing.exporter | quote }}
ONHAND_OTEL_ENDPOINT: {{ $v.global.tracing.endpoint | quote }}
ONHAND_TRACE_SAMPLE_RATIO: {{ $v.global.tracing.sampleRatio | toString | quote }}
{{- if include "onhand.isBackend" . }}
ONHAND_DB_HOST: {{ include "onhand.postgresql.host" $root | quote }}
ONHAND_DB_PORT: {{ include "onhand.postgresql.port" $root | quote }}
ONHAND_DB_NAME: {{ .svc.database.name | quote }}
ONHAND_DB_POOL_SIZE: {{ .svc.database.poolSize | toString | quote }}
ONHAND_RABBITMQ_HOST: {{ include "onhand.rabbitmq.host" $root | quote }}
ONHAND_RABBITMQ_PORT: {{ include "onhand.rabbitmq.port" $root | quote }}
ONHAND_RABBITMQ_VHOST: {{ $v.rabbitmq.vhost | quote }}
{{- else }}
{{- range $upstream, $upstreamSvc := $v.services }}
{{- if hasKey $upstreamSvc "database" }}
ONHAND_{{ $upstream | upper | replace "-" "_" }}_URL: {{ ternary (printf "http://%s:8080" (include "onhand.componentName" (dict "root" $root "component" $upstream))) "" (and $upstreamSvc.enabled true) | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if include "onhand.leaderElection" . }}
ONHAND_LEADER_ELECTION_ENABLED: "true"
ONHAND_LEADER_ELECTION_LEASE_NAME: {{ .svc.leaderElection.leaseName | quote }}
{{- end }}
{{- range $key, $value := .svc.env }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The API keys file the gateway reads (Quarkus: config/application.properties under /deployments). */}}
{{- define "onhand.apiKeysProperties" -}}
# API keys of the gateway: onhand.gateway.keys.<name>.hash (SHA-256 hex), .scopes, .rate-per-second, .burst
{{- range $name, $key := .keys }}
onhand.gateway.keys.{{ $name }}.hash={{ lower $key.hash }}
onhand.gateway.keys.{{ $name }}.scopes={{ join "," $key.scopes }}
{{- if hasKey $key "ratePerSecond" }}
onhand.gateway.keys.{{ $name }}.rate-per-second={{ $key.ratePerSecond }}
{{- end }}
{{- if hasKey $key "burst" }}
onhand.gateway.keys.{{ $name }}.burst={{ $key.burst }}
{{- end }}
{{- end }}
{{- end -}}
