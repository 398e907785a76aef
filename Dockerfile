# One image for every Vigil stage: the command chooses (`run ingest`, `run inference`, `run matcher`, `run alerts`,
# `topics`, ...). Build: docker build -t vigil .   CUDA inference: see deploy/Dockerfile.cuda.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
COPY api api
COPY runtime runtime
COPY broker broker
COPY ingest ingest
COPY inference inference
COPY matcher matcher
COPY alerts alerts
COPY app app
COPY bench/pom.xml bench/pom.xml
# the product only (the bench module is not built); style is checked by the test build, not here
RUN mvn -B -q -pl app -am -DskipTests -Dmaven.test.skip=true -Dspotless.check.skip=true package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /var/lib/vigil --create-home vigil
COPY --from=build /src/app/target/vigil.jar /opt/vigil/vigil.jar
USER vigil
# in a container, loopback is reachable from nowhere: serve the pod's address (the alerts page then needs a token)
ENV VIGIL_HOME=/var/lib/vigil VIGIL_HTTP_HOST=0.0.0.0 VIGIL_HTTP_PORT=9400
EXPOSE 9400
HEALTHCHECK --interval=15s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9400 && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q 200 <&3"]
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/vigil/vigil.jar"]
CMD ["run", "all"]
