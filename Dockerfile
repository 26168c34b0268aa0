# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=larvik_nmu.settings.production
# gettext for compilemessages; Pango and HarfBuzz for WeasyPrint (the agreements' PDF).
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet/designsystemet.css
COPY --from=assets /app/node_modules/@digdir/designsystemet-theme/brand/digdir.css static/vendor/designsystemet/theme.css
COPY --from=assets /app/node_modules/@fontsource-variable/inter/files/inter-latin*-wght-*.woff2 /app/node_modules/@fontsource-variable/inter/LICENSE static/vendor/inter/
COPY --from=assets /app/node_modules/chart.js/dist/chart.umd.min.js /app/node_modules/chart.js/LICENSE.md static/vendor/chartjs/
RUN python manage.py compilemessages --ignore=.venv \
 && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db EMAIL_URL=smtp://localhost \
    python manage.py collectstatic --noinput
RUN useradd --create-home nmu && mkdir -p /app/.celery && chown nmu /app/.celery
USER nmu
EXPOSE 8000
CMD ["gunicorn", "larvik_nmu.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
