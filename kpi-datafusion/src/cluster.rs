//! The same plans on an [Apache Ballista](https://datafusion.apache.org/ballista/)
//! cluster (feature `ballista`): a client session that sends them to a
//! scheduler, and the scheduler and executor processes of the `kpi-cluster`
//! binary. Every process uses [`KpiLogicalCodec`] and [`KpiPhysicalCodec`],
//! which carry each kpi UDF as its definition (`crate::udf::UdfSpec`: which
//! reader, or the file's row rules) so the executors rebuild the same
//! function; Ballista's own codecs do the rest.
//!
//! ```no_run
//! // A scheduler and an executor in this process's runtime (as `kpi-cluster` runs them).
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let scheduler = kpi_datafusion::cluster::scheduler("127.0.0.1:50050");
//! let executor = kpi_datafusion::cluster::executor(kpi_datafusion::cluster::ExecutorOptions {
//!     scheduler: "localhost:50050".into(),
//!     ..Default::default()
//! });
//! tokio::try_join!(scheduler, executor)?;
//! # Ok(())
//! # }
//! ```

use crate::udf::UdfSpec;
use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::serde::{BallistaLogicalExtensionCodec, BallistaPhysicalExtensionCodec};
use datafusion::catalog::TableProvider;
use datafusion::common::{DataFusionError, Result, TableReference};
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::execution::{SessionStateBuilder, TaskContext};
use datafusion::logical_expr::{Extension, LogicalPlan, ScalarUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion_proto::logical_plan::LogicalExtensionCodec;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};
use kpi_import::AliasBook;
use std::sync::Arc;

/// Writes a kpi UDF's definition (nothing for any other function, which is
/// then found by name in the registry, as DataFusion does by default).
fn encode_udf(node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
    if let Some(spec) = UdfSpec::of(node) {
        serde_json::to_writer(buf, spec).map_err(|e| DataFusionError::External(Box::new(e)))?;
    }
    Ok(())
}

/// Rebuilds a kpi UDF from its definition.
fn decode_udf(name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
    let spec: UdfSpec = serde_json::from_slice(buf).map_err(|e| {
        DataFusionError::Internal(format!("{name}: not a kpi UDF definition ({e})"))
    })?;
    Ok(Arc::new(spec.build(&Arc::new(AliasBook::builtin()))?))
}

/// Ballista's logical codec, with kpi's UDFs carried by definition.
#[derive(Debug, Default)]
pub struct KpiLogicalCodec {
    inner: BallistaLogicalExtensionCodec,
}

impl LogicalExtensionCodec for KpiLogicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[LogicalPlan],
        ctx: &TaskContext,
    ) -> Result<Extension> {
        self.inner.try_decode(buf, inputs, ctx)
    }
    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode(node, buf)
    }
    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: datafusion::arrow::datatypes::SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        self.inner
            .try_decode_table_provider(buf, table_ref, schema, ctx)
    }
    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        self.inner.try_encode_table_provider(table_ref, node, buf)
    }
    fn try_decode_file_format(
        &self,
        buf: &[u8],
        ctx: &TaskContext,
    ) -> Result<Arc<dyn FileFormatFactory>> {
        self.inner.try_decode_file_format(buf, ctx)
    }
    fn try_encode_file_format(
        &self,
        buf: &mut Vec<u8>,
        node: Arc<dyn FileFormatFactory>,
    ) -> Result<()> {
        self.inner.try_encode_file_format(buf, node)
    }
    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        decode_udf(name, buf)
    }
    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        encode_udf(node, buf)
    }
}

/// Ballista's physical codec, with kpi's UDFs carried by definition.
#[derive(Debug, Default)]
pub struct KpiPhysicalCodec {
    inner: BallistaPhysicalExtensionCodec,
}

impl PhysicalExtensionCodec for KpiPhysicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.inner.try_decode(buf, inputs, ctx, proto_converter)
    }
    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        self.inner.try_encode(node, buf, proto_converter)
    }
    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        decode_udf(name, buf)
    }
    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        encode_udf(node, buf)
    }
}

/// A session config with kpi's codecs for Ballista.
fn config() -> SessionConfig {
    SessionConfig::new_with_ballista()
        .with_ballista_logical_extension_codec(Arc::new(KpiLogicalCodec::default()))
        .with_ballista_physical_extension_codec(Arc::new(KpiPhysicalCodec::default()))
}

/// A client session whose queries run on the scheduler at `url`
/// (`df://host:port`), with `partitions` target partitions.
pub(crate) async fn remote_session(url: &str, partitions: usize) -> Result<SessionContext> {
    let state = SessionStateBuilder::new()
        .with_config(config().with_target_partitions(partitions))
        .with_default_features()
        .build();
    SessionContext::remote_with_state(url, state).await
}

/// Runs a Ballista scheduler bound to `bind` (`host:port`) until the process
/// ends, decoding plans with kpi's codecs.
pub async fn scheduler(bind: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use ballista_scheduler::cluster::BallistaCluster;
    use ballista_scheduler::config::SchedulerConfig;
    let addr: std::net::SocketAddr = bind.parse()?;
    let settings = SchedulerConfig {
        bind_host: addr.ip().to_string(),
        bind_port: addr.port(),
        override_config_producer: Some(Arc::new(config)),
        override_logical_codec: Some(Arc::new(KpiLogicalCodec::default())),
        override_physical_codec: Some(Arc::new(KpiPhysicalCodec::default())),
        ..Default::default()
    };
    let cluster = BallistaCluster::new_from_config(&settings).await?;
    ballista_scheduler::scheduler_process::start_server(cluster, addr, Arc::new(settings)).await?;
    Ok(())
}

/// Where an executor listens and which scheduler it joins: also the options of
/// `kpi-cluster executor`, so the defaults are written once, here.
#[derive(Clone, Debug, clap::Parser)]
pub struct ExecutorOptions {
    /// The scheduler, HOST:PORT.
    #[arg(long, default_value = "localhost:50050")]
    pub scheduler: String,
    /// The host name the executor binds to, and the scheduler and other executors reach it at.
    #[arg(long, default_value = "localhost")]
    pub host: String,
    /// The Arrow Flight port (shuffle data).
    #[arg(long, default_value_t = 50051)]
    pub port: u16,
    /// The gRPC port (tasks).
    #[arg(long, default_value_t = 50052)]
    pub grpc_port: u16,
    /// Tasks at a time (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub concurrent_tasks: usize,
    /// Where shuffle files go (default: a temporary folder).
    #[arg(long)]
    pub work_dir: Option<String>,
    /// The memory pool of the executor's tasks, in bytes (default: Ballista's).
    #[arg(long)]
    pub memory_limit: Option<u64>,
}

impl Default for ExecutorOptions {
    /// The command line's defaults (`kpi-cluster executor` with no options).
    fn default() -> Self {
        <ExecutorOptions as clap::Parser>::parse_from(["executor"])
    }
}

/// Runs a Ballista executor until the process ends, decoding tasks with
/// kpi's codecs (so kpi's UDFs are rebuilt here).
pub async fn executor(
    options: ExecutorOptions,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
    let (scheduler_host, scheduler_port) = options
        .scheduler
        .rsplit_once(':')
        .ok_or("--scheduler: expected host:port")?;
    let defaults = ExecutorProcessConfig::default();
    let settings = ExecutorProcessConfig {
        bind_host: "0.0.0.0".into(),
        external_host: Some(options.host.clone()),
        port: options.port,
        grpc_port: options.grpc_port,
        scheduler_host: scheduler_host.into(),
        scheduler_port: scheduler_port.parse()?,
        vcores: match options.concurrent_tasks {
            0 => defaults.vcores,
            n => n,
        },
        work_dir: options.work_dir.clone(),
        memory_pool_size: options.memory_limit,
        override_config_producer: Some(Arc::new(config)),
        override_logical_codec: Some(Arc::new(KpiLogicalCodec::default())),
        override_physical_codec: Some(Arc::new(KpiPhysicalCodec::default())),
        ..defaults
    };
    start_executor_process(Arc::new(settings)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udf;
    use datafusion::arrow::array::{Array, AsArray};
    use kpi_import::Field;
    use kpi_model::validate::TableKind;

    /// One text or number value of a one-row query.
    async fn one(ctx: &SessionContext, sql: &str) -> Option<String> {
        let batches = ctx
            .sql(sql)
            .await
            .expect("plans")
            .collect()
            .await
            .expect("runs");
        let b = &batches[0];
        let a = datafusion::arrow::compute::cast(
            b.column(0),
            &datafusion::arrow::datatypes::DataType::Utf8,
        )
        .expect("as text");
        let a = a.as_string::<i32>();
        (!a.is_null(0)).then(|| a.value(0).to_string())
    }

    /// Through the physical codec and back.
    fn round_trip(f: &ScalarUDF) -> Arc<ScalarUDF> {
        let codec = KpiPhysicalCodec::default();
        let mut buf = Vec::new();
        codec.try_encode_udf(f, &mut buf).expect("encodes");
        assert!(!buf.is_empty(), "{} carries its definition", f.name());
        codec.try_decode_udf(f.name(), &buf).expect("decodes")
    }

    #[test]
    fn decoded_udfs_read_and_reject_as_the_originals() {
        let book = Arc::new(AliasBook::builtin());
        let readers = udf::readers(Arc::clone(&book), Default::default());
        let which = vec![
            (Field::StudentId, "student_id".to_string()),
            (Field::OrgId, "org_id".to_string()),
            (Field::Year, "year".to_string()),
        ];
        let check = udf::row_check("kpi_check_7", book, TableKind::Students, true, which);
        let original = SessionContext::new();
        let decoded = SessionContext::new();
        for f in readers.iter().chain([&check]) {
            original.register_udf(f.clone());
            decoded.register_udf((*round_trip(f)).clone());
        }
        let rt = tokio::runtime::Runtime::new().expect("a runtime");
        rt.block_on(async {
            // An academic year written as a span reads as its first calendar year.
            let year = "SELECT kpi_year('2021-2022')";
            assert_eq!(one(&decoded, year).await.as_deref(), Some("2021"));
            // A decimal comma (second argument) is kept by the definition.
            let gpa = "SELECT kpi_gpa('3,5', 'true')";
            assert_eq!(one(&decoded, gpa).await.as_deref(), Some("3.5"));
            let good = "SELECT kpi_check_7('s1', '100', '2021')";
            assert_eq!(one(&decoded, good).await, None);
            let bad = "SELECT kpi_check_7('s1', '100', 'never')";
            let reason = one(&decoded, bad).await.expect("a rejected row");
            assert!(reason.starts_with("year\tnever\t"), "{reason}");
            assert_eq!(Some(reason), one(&original, bad).await);
        });
    }

    #[test]
    fn other_functions_are_left_to_the_registry() {
        let f = datafusion::functions::string::upper();
        let mut buf = Vec::new();
        KpiLogicalCodec::default()
            .try_encode_udf(&f, &mut buf)
            .expect("encodes");
        assert!(buf.is_empty());
    }
}
