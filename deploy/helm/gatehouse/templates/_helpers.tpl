{{/* Names and labels. */}}
{{- define "gatehouse.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gatehouse.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gatehouse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gatehouse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gatehouse.labels" -}}
{{ include "gatehouse.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "gatehouse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "gatehouse.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "gatehouse.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* One Secret key as an environment variable. */}}
{{- define "gatehouse.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* The environment of every Gatehouse container (server and migrations). */}}
{{- define "gatehouse.env" -}}
{{- $s := .Values.secret -}}
{{- if not (hasPrefix "https://" (required "issuer is required: the public https URL of Gatehouse" .Values.issuer)) }}
{{- if eq .Values.mode "production" }}
{{- fail "issuer must be an https URL in production mode" }}
{{- end }}
{{- end }}
- name: GATEHOUSE_MODE
  value: {{ .Values.mode | quote }}
- name: GATEHOUSE_ISSUER
  value: {{ .Values.issuer | quote }}
- name: GATEHOUSE_ADDR
  value: "0.0.0.0:8080"
{{- if .Values.opsPort }}
- name: GATEHOUSE_OPS_ADDR
  value: {{ printf "0.0.0.0:%d" (int .Values.opsPort) | quote }}
{{- end }}
- name: GATEHOUSE_DATA_DIR
  value: /tmp/gatehouse
- name: GATEHOUSE_AUTO_MIGRATE
  value: {{ (not .Values.migrations.enabled) | quote }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_SECRET_KEY" "secret" $s.name "key" $s.keys.secretKey) }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_SECRET_KEY_OLD" "secret" $s.name "key" $s.keys.secretKeyOld "optional" true) }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_DATABASE" "secret" $s.name "key" $s.keys.databaseURL) }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_SMTP_URL" "secret" $s.name "key" $s.keys.smtpURL "optional" (ne .Values.mode "production")) }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_REDIS_URL" "secret" $s.name "key" $s.keys.redisURL "optional" true) }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_ADMIN_TOKEN" "secret" $s.name "key" $s.keys.adminToken "optional" true) }}
{{ include "gatehouse.secretEnv" (dict "name" "GATEHOUSE_METRICS_TOKEN" "secret" $s.name "key" $s.keys.metricsToken "optional" true) }}
{{- range $k, $v := .Values.config }}
{{- if $v }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end }}
{{- if .Values.tracing.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.tracing.endpoint | quote }}
- name: OTEL_TRACES_SAMPLER
  value: {{ .Values.tracing.sampler | quote }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ .Values.tracing.samplerArg | quote }}
- name: K8S_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: OTEL_RESOURCE_ATTRIBUTES
  value: "k8s.pod.name=$(K8S_POD_NAME),k8s.namespace.name={{ .Release.Namespace }}"
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by the server and the migration Job. */}}
{{- define "gatehouse.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
