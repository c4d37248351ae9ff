//! `kpi-cluster`: a Ballista scheduler or executor that knows kpi's UDFs
//! (docs/scale.md "Distributed execution"). Stock Ballista processes cannot
//! run kpi's plans: they do not have its cell readers and row checks.
//!
//! ```sh
//! kpi-cluster scheduler --bind 127.0.0.1:50050
//! kpi-cluster executor --scheduler localhost:50050 --port 50051 --grpc-port 50052
//! ```

use clap::{Parser, Subcommand};
use kpi_datafusion::cluster::{executor, scheduler, ExecutorOptions};

#[derive(Parser)]
#[command(
    name = "kpi-cluster",
    about = "A Ballista scheduler or executor with kpi's UDFs"
)]
struct Cli {
    #[command(subcommand)]
    role: Role,
}

#[derive(Subcommand)]
enum Role {
    /// The scheduler: `kpi --engine datafusion --cluster df://HOST:PORT` sends it the plans.
    Scheduler {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: String,
    },
    /// An executor: runs the plans' tasks; reads the data files at the paths the client gives.
    Executor(ExecutorOptions),
}

fn main() {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Ballista's own binaries use 32 MB stacks (deep plan trees are decoded recursively).
        .thread_stack_size(32 << 20)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kpi-cluster: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(async {
        match cli.role {
            Role::Scheduler { bind } => scheduler(&bind).await,
            Role::Executor(options) => executor(options).await,
        }
    });
    if let Err(e) = result {
        eprintln!("kpi-cluster: {e}");
        std::process::exit(1);
    }
}
